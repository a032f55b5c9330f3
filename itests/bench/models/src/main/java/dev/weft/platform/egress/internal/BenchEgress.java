package dev.weft.platform.egress.internal;

import dev.weft.api.http.OutboundHttp;
import java.util.Set;

/** For the benchmark only: the real egress client, allowing one loopback origin. */
public final class BenchEgress {

    private BenchEgress() {
    }

    public static OutboundHttp allowing(String host, int port) {
        return new EgressClient(new Guard(AllowList.of(host, port), Set.of(80, 443), NameResolver.SYSTEM));
    }
}
