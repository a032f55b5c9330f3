package dev.weft.platform.egress.internal;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operator's exceptions to the address rules: entries {@code <address-or-cidr-or-host>[:port]},
 * IPv6 in brackets ({@code [fd00::1]:8080}). An entry without a port allows every port of what it
 * names; a host-name entry allows the addresses that name resolves to, only for requests to that
 * name.
 */
final class AllowList {

    private record Entry(String host, byte[] network, int prefix, int port) {
        boolean matches(String requestHost, InetAddress address, int requestPort) {
            if (port >= 0 && port != requestPort) {
                return false;
            }
            if (host != null) {
                return host.equals(requestHost);
            }
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((a[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Entry> entries;

    private AllowList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static AllowList none() {
        return new AllowList(List.of());
    }

    /**
     * Parses entries separated by commas or white space.
     *
     * @throws IllegalArgumentException naming the first entry that cannot be read
     */
    static AllowList parse(String text) {
        List<Entry> entries = new ArrayList<>();
        if (text != null) {
            for (String raw : text.split("[,\\s]+")) {
                if (!raw.isBlank()) {
                    entries.add(entry(raw.trim()));
                }
            }
        }
        return new AllowList(entries);
    }

    /** An allow-list of one host (a name or an address) on one port. */
    static AllowList of(String host, int port) {
        return parse((host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    AllowList plus(AllowList other) {
        List<Entry> all = new ArrayList<>(entries);
        all.addAll(other.entries);
        return new AllowList(all);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    boolean allows(String host, InetAddress address, int port) {
        for (Entry entry : entries) {
            if (entry.matches(host, address, port)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a host-name entry names this host, on this port or on every port. */
    boolean allowsName(String host, int port) {
        return entries.stream().anyMatch(e -> e.host != null && e.host.equals(host) && (e.port < 0 || e.port == port));
    }

    /**
     * Whether a port outside the default set is allowed for this host: a host-name entry for it, or
     * one address entry covering every address it resolves to, with this port or every port.
     */
    boolean allowsPort(String host, List<InetAddress> addresses, int port) {
        if (allowsName(host, port)) {
            return true;
        }
        if (addresses.isEmpty()) {
            return false;
        }
        for (Entry entry : entries) {
            if (entry.host == null && (entry.port < 0 || entry.port == port)
                    && addresses.stream().allMatch(a -> entry.matches(host, a, port))) {
                return true;
            }
        }
        return false;
    }

    private static Entry entry(String raw) {
        String spec = raw;
        int port = -1;
        if (spec.startsWith("[")) {
            int close = spec.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("allow-list entry without its closing bracket: " + raw);
            }
            String rest = spec.substring(close + 1);
            if (rest.startsWith(":")) {
                port = port(rest.substring(1), raw);
            } else if (!rest.isEmpty()) {
                throw new IllegalArgumentException("cannot read the allow-list entry " + raw);
            }
            spec = spec.substring(1, close);
        } else if (spec.indexOf(':') >= 0 && spec.indexOf(':') == spec.lastIndexOf(':')) {
            port = port(spec.substring(spec.indexOf(':') + 1), raw);
            spec = spec.substring(0, spec.indexOf(':'));
        }
        int prefix = -1;
        String address = spec;
        if (spec.contains("/")) {
            address = spec.substring(0, spec.indexOf('/'));
            try {
                prefix = Integer.parseInt(spec.substring(spec.indexOf('/') + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cannot read the prefix length of the allow-list entry " + raw);
            }
        }
        if (address.matches("[0-9.]+") || address.contains(":")) {
            InetAddress literal;
            try {
                literal = InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("cannot read the address of the allow-list entry " + raw);
            }
            int max = literal.getAddress().length * 8;
            if (prefix > max || prefix < -1) {
                throw new IllegalArgumentException("the prefix length of " + raw + " is out of range");
            }
            return new Entry(null, literal.getAddress(), prefix < 0 ? max : prefix, port);
        }
        if (prefix >= 0) {
            throw new IllegalArgumentException("a host name cannot have a prefix length: " + raw);
        }
        String host;
        try {
            host = IDN.toASCII(address, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the host name of the allow-list entry " + raw);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty allow-list entry: " + raw);
        }
        return new Entry(host, null, 0, port);
    }

    private static int port(String text, String raw) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the port of the allow-list entry " + raw + " is out of range");
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read the port of the allow-list entry " + raw);
        }
    }
}
