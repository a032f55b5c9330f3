package dev.weft.web.internal.whiteboard;

/** Whether the web layer serves the REST application with every resource registered so far. */
public interface WebStatus {

    /** True once the application is built and no rebuild is pending. */
    boolean ready();
}
