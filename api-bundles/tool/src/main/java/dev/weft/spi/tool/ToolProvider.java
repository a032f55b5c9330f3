package dev.weft.spi.tool;

import dev.weft.api.core.Pluggable;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A group of tools sharing credentials, contributed as an OSGi service. Its descriptor's config
 * schema describes the credentials; properties marked {@code "secret": true} are stored encrypted.
 */
@ConsumerType
public interface ToolProvider extends Pluggable {

    /** The tools it offers. */
    List<Tool> tools();
}
