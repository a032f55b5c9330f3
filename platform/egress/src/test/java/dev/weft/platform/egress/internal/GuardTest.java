package dev.weft.platform.egress.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.http.EgressException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SECURITY.md section D at the guard's decision point: nothing here connects anywhere. */
class GuardTest {

    /** Names as a DNS server might answer them, including the tricks of SEC-16 and SEC-18. */
    private static final Map<String, String[]> DNS = Map.of(
            "public.example", new String[] {"93.184.216.34"},
            "public6.example", new String[] {"2606:4700:4700::1111"},
            "wildcard-private.example", new String[] {"10.1.2.3"},
            "nip.example", new String[] {"169.254.169.254"},
            "mixed.example", new String[] {"93.184.216.34", "127.0.0.1"},
            "mapped.example", new String[] {"::ffff:192.168.1.1"},
            "ollama.internal.example", new String[] {"10.0.0.7"});

    static final NameResolver TABLE = host -> {
        String[] answers = DNS.get(host);
        if (answers == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[answers.length];
        for (int i = 0; i < answers.length; i++) {
            out[i] = InetAddress.getByName(answers[i]);
        }
        return out;
    };

    private final Guard guard = new Guard(AllowList.none(), Set.of(80, 443), TABLE);

    private List<InetAddress> check(String url) {
        return guard.check(Target.parse(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // SEC-15: direct internal targets
        "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/",
        "http://127.0.0.1:8080/", "http://localhost/", "http://[::1]/", "http://10.0.0.1/", "http://192.168.0.1/",
        "http://172.16.5.4/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::]/", "http://224.0.0.1/",
        "http://255.255.255.255/",
        // SEC-16: other notations of the same addresses
        "http://2130706433/", "http://017700000001/", "http://0x7f000001/", "http://0x7f.0.0.1/", "http://0177.0.0.1/",
        "http://127.1/", "http://0/", "http://0x0/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/",
        "http://[0:0:0:0:0:ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[64:ff9b::10.0.0.1]/",
        "http://[2002:a9fe:a9fe::1]/", "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://[fec0::1]/",
        "http://[::127.0.0.1]/", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        "http://LOCALHOST/", "http://localhost./", "http://LocalHost.:80/", "http://app.localhost/",
        "http://metadata.google.internal./", "http://169.254.169.254./",
        "http://１２７.０.０.１/", "http://①②⑦.0.0.1/",
        // SEC-16 and SEC-18: names whose answers are private, or mix public and private answers
        "http://wildcard-private.example/", "http://nip.example/latest/meta-data/", "http://mixed.example/",
        "http://mapped.example/",
        // SEC-15: public hosts on ports outside the default set
        "http://public.example:22/", "http://public.example:25/", "http://public.example:6379/",
        "https://public.example:5432/",
        // SEC-19: schemes other than http and https
        "file:///etc/hostname", "file:///proc/self/environ", "gopher://127.0.0.1:6379/_INFO",
        "dict://127.0.0.1:11211/stats", "ftp://127.0.0.1/", "jar:http://127.0.0.1/x.jar!/", "netdoc:///etc/hostname",
        "ldap://127.0.0.1/", "FILE:///etc/passwd", "javascript:alert(1)"
    })
    void refusesInternalTargetsEncodingsPortsAndSchemes(String url) {
        assertThatThrownBy(() -> check(url))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.BLOCKED))
                .hasMessageStartingWith("egress blocked: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // SEC-20: parser differentials
        "http://public.example@127.0.0.1/", "http://user:pass@public.example/", "http://public.example\\@127.0.0.1/",
        "http://public.example\\.127.0.0.1/", "http://public.example/\r\nHost: 127.0.0.1", "http://public.example/\u0000",
        "http://public .example/", "http://public.example\u3000/", "http:/public.example/", "http:///public.example/",
        "http://public.example:/", "http://public.example:99999/", "http://[::1/", "http://[fe80::1%25eth0]/",
        "http://a..b/", "http://-bad-.example/", "http://under_score.example/", "//public.example/", "public.example",
        ""
    })
    void refusesMalformedUrlsBeforeAnyLookup(String url) {
        AtomicInteger lookups = new AtomicInteger();
        Guard counting = new Guard(AllowList.none(), Set.of(80, 443), host -> {
            lookups.incrementAndGet();
            return TABLE.resolve(host);
        });
        assertThatThrownBy(() -> counting.check(Target.parse(url)))
                .isInstanceOfSatisfying(EgressException.class,
                        e -> assertThat(e.code()).isIn(EgressException.INVALID_URL, EgressException.BLOCKED));
        assertThat(lookups).hasValue(0);
    }

    @Test
    void publicHostsOnDefaultPortsPassWithTheAddressesThatWereChecked() throws Exception {
        assertThat(check("https://public.example/path?q=1")).containsExactly(InetAddress.getByName("93.184.216.34"));
        assertThat(check("http://PUBLIC.example./")).containsExactly(InetAddress.getByName("93.184.216.34"));
        assertThat(check("https://public6.example/")).containsExactly(InetAddress.getByName("2606:4700:4700::1111"));
        assertThat(check("http://93.184.216.34/")).containsExactly(InetAddress.getByName("93.184.216.34"));
    }

    @Test
    void targetsAreNormalisedOnceAndUsedForTheConnection() {
        Target target = Target.parse("HTTP://Public.Example.:80/a%20b/ü?x=1&y=%41#frag");
        assertThat(target.scheme()).isEqualTo("http");
        assertThat(target.host()).isEqualTo("public.example");
        assertThat(target.port()).isEqualTo(80);
        assertThat(target.uri().toString()).isEqualTo("http://public.example/a%20b/%C3%BC?x=1&y=%41");
        assertThat(Target.parse("http://0x7f.1:8080/").uri().toString()).isEqualTo("http://127.0.0.1:8080/");
        assertThat(Target.parse("https://bücher.example/").host()).isEqualTo("xn--bcher-kva.example");
    }

    @Test
    void redirectsResolveAgainstTheCurrentUrlAndAreParsedAgain() {
        Target from = Target.parse("https://public.example/a/b");
        assertThat(from.redirect("../c?d=1").uri().toString()).isEqualTo("https://public.example/c?d=1");
        assertThat(from.redirect("//other.example/x").uri().toString()).isEqualTo("https://other.example/x");
        assertThatThrownBy(() -> guard.check(from.redirect("http://169.254.169.254/latest/meta-data/")))
                .hasMessageContaining("link-local");
        assertThatThrownBy(() -> from.redirect("file:///etc/hostname"))
                .isInstanceOfSatisfying(EgressException.class, e -> assertThat(e.code()).isEqualTo(EgressException.BLOCKED));
    }

    @Test
    void theOperatorsAllowListOpensAddressesPortsAndNames() throws Exception {
        Guard allowing = new Guard(AllowList.parse("10.0.0.0/24:11434, ollama.internal.example, [::1]:8080, 127.0.0.1"),
                Set.of(80, 443), TABLE);
        assertThat(allowing.check(Target.parse("http://10.0.0.9:11434/api"))).hasSize(1);
        assertThatThrownBy(() -> allowing.check(Target.parse("http://10.0.0.9:22/"))).hasMessageContaining("private");
        assertThatThrownBy(() -> allowing.check(Target.parse("http://10.0.1.9:11434/"))).hasMessageContaining("private");
        assertThat(allowing.check(Target.parse("http://ollama.internal.example:11434/"))).hasSize(1);
        assertThat(allowing.check(Target.parse("http://[::1]:8080/"))).hasSize(1);
        assertThatThrownBy(() -> allowing.check(Target.parse("http://[::1]:8081/"))).hasMessageContaining("loopback");
        assertThat(allowing.check(Target.parse("http://127.0.0.1:5432/"))).hasSize(1);
        // the allow-list opens what it names, nothing else
        assertThatThrownBy(() -> allowing.check(Target.parse("http://169.254.169.254/"))).hasMessageContaining("link-local");
        assertThatThrownBy(() -> allowing.check(Target.parse("http://localhost/"))).hasMessageContaining("names this machine");
    }

    @Test
    void badAllowListEntriesAreNamed() {
        assertThatThrownBy(() -> AllowList.parse("10.0.0.0/99")).hasMessageContaining("10.0.0.0/99");
        assertThatThrownBy(() -> AllowList.parse("host:0")).hasMessageContaining("host:0");
        assertThatThrownBy(() -> AllowList.parse("[::1")).hasMessageContaining("[::1");
        assertThatThrownBy(() -> EgressService.ports("80,http")).hasMessageContaining("http");
        assertThat(EgressService.ports("*")).isEmpty();
        assertThat(EgressService.ports(" 80, 8443 ")).containsExactly(80, 8443);
    }

    @Test
    void anEmptyPortSetAllowsEveryPortButNotPrivateAddresses() {
        Guard anyPort = new Guard(AllowList.none(), Set.of(), TABLE);
        assertThat(anyPort.check(Target.parse("http://public.example:8080/"))).hasSize(1);
        assertThatThrownBy(() -> anyPort.check(Target.parse("http://10.0.0.1:8080/"))).hasMessageContaining("private");
    }

    @Test
    void anOperatorAllowanceOpensItsOriginUntilWithdrawn() {
        Guard guard = new Guard(AllowList.none(), Set.of(80, 443), TABLE);
        assertThatThrownBy(() -> guard.check(Target.parse("http://127.0.0.1:11434/v1"))).hasMessageContaining("loopback");
        Object key = new Object();
        guard.grant(key, AllowList.of("127.0.0.1", 11434));
        assertThat(guard.check(Target.parse("http://127.0.0.1:11434/v1/chat/completions"))).hasSize(1);
        assertThatThrownBy(() -> guard.check(Target.parse("http://127.0.0.1:11435/"))).hasMessageContaining("loopback");
        assertThatThrownBy(() -> guard.check(Target.parse("http://169.254.169.254/"))).hasMessageContaining("link-local");
        guard.withdraw(key);
        assertThatThrownBy(() -> guard.check(Target.parse("http://127.0.0.1:11434/v1"))).hasMessageContaining("loopback");
    }
}
