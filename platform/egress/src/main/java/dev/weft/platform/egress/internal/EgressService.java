package dev.weft.platform.egress.internal;

import dev.weft.api.http.HttpRequest;
import dev.weft.api.http.HttpResponse;
import dev.weft.api.http.OutboundHttp;
import dev.weft.api.http.StreamingResponse;
import dev.weft.platform.egress.EgressAllowances;
import java.util.LinkedHashSet;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's {@link OutboundHttp} service, configured by PID {@code dev.weft.egress}
 * ({@code conf/dev.weft.egress.cfg}) and the environment variable {@code WEFT_EGRESS_ALLOW}.
 */
@Component(service = {OutboundHttp.class, EgressAllowances.class}, configurationPid = EgressService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EgressService.Config.class)
public final class EgressService implements OutboundHttp, EgressAllowances {

    static final String PID = "dev.weft.egress";
    private static final Logger LOG = LoggerFactory.getLogger(EgressService.class);

    @ObjectClassDefinition(name = "Weft egress guard")
    public @interface Config {
        @AttributeDefinition(description = "Exceptions to the address rules: <address|cidr|host>[:port], comma-separated. "
                + "Added to WEFT_EGRESS_ALLOW.")
        String allow() default "";

        @AttributeDefinition(description = "Ports allowed for every host, comma-separated; * allows every port.")
        String ports() default "80,443";
    }

    private volatile EgressClient client;
    private volatile Guard guard;
    private final java.util.Map<Object, AllowList> grants = new java.util.concurrent.ConcurrentHashMap<>();

    @Activate
    @Modified
    void configure(Config config) {
        AllowList allow = AllowList.parse(config.allow()).plus(AllowList.parse(System.getenv("WEFT_EGRESS_ALLOW")));
        Set<Integer> ports = ports(config.ports());
        EgressClient previous = client;
        Guard created = new Guard(allow, ports, NameResolver.SYSTEM);
        grants.forEach(created::grant);
        guard = created;
        client = new EgressClient(created);
        if (previous != null) {
            previous.close();
        }
        LOG.info("Egress: ports {}, {} allow-list", ports.isEmpty() ? "any" : ports,
                allow.isEmpty() ? "no" : "an operator");
    }

    @Deactivate
    void deactivate() {
        EgressClient c = client;
        if (c != null) {
            c.close();
        }
    }

    static Set<Integer> ports(String text) {
        Set<Integer> ports = new LinkedHashSet<>();
        if (text == null || text.isBlank()) {
            return Set.of(80, 443);
        }
        for (String part : text.split("[,\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            if (part.equals("*")) {
                return Set.of();
            }
            try {
                int port = Integer.parseInt(part.trim());
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("egress port out of range: " + part);
                }
                ports.add(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cannot read the egress port " + part);
            }
        }
        return ports;
    }

    @Override
    public Allowance allow(String url, String reason) {
        Target target = Target.parse(url);
        AllowList entries = AllowList.of(target.host(), target.port());
        Object key = new Object();
        grants.put(key, entries);
        Guard current = guard;
        if (current != null) {
            current.grant(key, entries);
        }
        LOG.info("Egress: {} allowed ({})", target.origin(), reason);
        return () -> {
            grants.remove(key);
            Guard now = guard;
            if (now != null) {
                now.withdraw(key);
            }
        };
    }

    @Override
    public HttpResponse send(HttpRequest request) {
        return client.send(request);
    }

    @Override
    public StreamingResponse open(HttpRequest request) {
        return client.open(request);
    }

    @Override
    public void check(String url) {
        client.check(url);
    }
}
