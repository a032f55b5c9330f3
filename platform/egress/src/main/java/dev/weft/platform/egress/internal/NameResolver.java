package dev.weft.platform.egress.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Looks a host name up. The system's resolver in production; a table in tests. */
@FunctionalInterface
interface NameResolver {

    NameResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
