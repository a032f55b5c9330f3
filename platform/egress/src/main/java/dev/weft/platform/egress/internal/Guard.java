package dev.weft.platform.egress.internal;

import dev.weft.api.http.EgressException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The egress policy's decision point: given a parsed URL, either the addresses a connection may use
 * (every address the host resolves to, each checked) or a refusal. Nothing here connects.
 */
final class Guard {

    /** Names that only mean something inside a host or a cloud: refused before any lookup. */
    private static final Set<String> LOCAL_NAMES = Set.of("localhost", "localhost.localdomain", "ip6-localhost",
            "ip6-loopback", "metadata", "metadata.google.internal", "metadata.azure.internal", "instance-data",
            "instance-data.ec2.internal");

    private final AllowList configured;
    private volatile AllowList allow;
    private final java.util.Map<Object, AllowList> dynamic = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<Integer> ports;
    private final NameResolver resolver;

    /**
     * @param allow the operator's exceptions
     * @param ports the ports allowed for every host; empty allows every port
     * @param resolver how host names are looked up
     */
    Guard(AllowList allow, Set<Integer> ports, NameResolver resolver) {
        this.configured = allow;
        this.allow = allow;
        this.ports = Set.copyOf(ports);
        this.resolver = resolver;
    }

    /** Adds an allowance under a key; {@link #withdraw(Object)} removes it. */
    void grant(Object key, AllowList entries) {
        dynamic.put(key, entries);
        recompute();
    }

    void withdraw(Object key) {
        dynamic.remove(key);
        recompute();
    }

    private synchronized void recompute() {
        AllowList all = configured;
        for (AllowList entries : dynamic.values()) {
            all = all.plus(entries);
        }
        allow = all;
    }

    /**
     * Checks a target and returns the addresses a connection to it may use, in the resolver's order.
     *
     * @throws EgressException {@code egress_blocked} with the reason, or {@code egress_failed} when the
     *         name does not resolve
     */
    List<InetAddress> check(Target target) throws EgressException {
        String host = target.host();
        AllowList allow = this.allow;
        if (!allow.allowsName(host, target.port()) && (LOCAL_NAMES.contains(host) || host.endsWith(".localhost"))) {
            throw blocked("the host " + host + " names this machine or a cloud metadata service");
        }
        List<InetAddress> addresses;
        if (target.literal().isPresent()) {
            addresses = List.of(target.literal().get());
        } else {
            try {
                addresses = List.of(resolver.resolve(host));
            } catch (UnknownHostException e) {
                throw new EgressException(EgressException.FAILED, "the host " + host + " cannot be resolved");
            }
            if (addresses.isEmpty()) {
                throw new EgressException(EgressException.FAILED, "the host " + host + " has no address");
            }
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = AddressRules.refusal(address);
            if (refusal.isPresent() && !allow.allows(host, address, target.port())) {
                String what = target.literal().isPresent() ? describe(address) + " is "
                        : "the host " + host + " resolves to ";
                throw blocked(what + refusal.get());
            }
        }
        if (!ports.isEmpty() && !ports.contains(target.port()) && !allow.allowsPort(host, addresses, target.port())) {
            throw blocked("port " + target.port() + " is not allowed (allowed: "
                    + new TreeSet<>(ports).stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")");
        }
        return addresses;
    }

    private static String describe(InetAddress address) {
        return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    }

    private static EgressException blocked(String reason) {
        return new EgressException(EgressException.BLOCKED, "egress blocked: " + reason);
    }

}
