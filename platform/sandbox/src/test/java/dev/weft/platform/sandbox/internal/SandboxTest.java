package dev.weft.platform.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.api.sandbox.CodeRequest;
import dev.weft.api.sandbox.CodeResult;
import dev.weft.api.sandbox.SandboxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sandbox with real worker processes (GraalPy and GraalJS from the test class path), against
 * SECURITY.md section E. The platform here is this test's JVM: it must never see a guest's
 * exception, memory or process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
class SandboxTest {

    static final Duration LIMIT = Duration.ofSeconds(3);
    private WorkerPool pool;

    @BeforeAll
    void start() throws Exception {
        Path cache = Files.createTempDirectory("weft-sandbox-test");
        WorkerSettings defaults = SandboxService.settings(config(), System.getProperty("java.class.path"), cache, 1);
        pool = new WorkerPool(new WorkerSettings(defaults.java(), defaults.classpath(), defaults.scratchRoot(),
                defaults.resourceCache(), 2, 1, 384, LIMIT, Duration.ofSeconds(30), Duration.ofSeconds(120),
                Duration.ofSeconds(120), defaults.pythonModules(), 64 * 1024, 8 * 1024 * 1024, 500));
        pool.prestart();
    }

    @AfterAll
    void stop() {
        pool.close();
    }

    private static SandboxService.Config config() {
        return new SandboxService.Config() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return SandboxService.Config.class; }
            @Override public int workers() { return 2; }
            @Override public int prestart() { return 1; }
            @Override public int prestart_delay_seconds() { return 0; }
            @Override public int heap_mb() { return 384; }
            @Override public int timeout_seconds() { return 3; }
            @Override public int max_timeout_seconds() { return 30; }
            @Override public int queue_seconds() { return 120; }
            @Override public String python_modules() { return ""; }
            @Override public int max_output_bytes() { return 64 * 1024; }
            @Override public int max_result_bytes() { return 8 * 1024 * 1024; }
            @Override public int runs_per_worker() { return 500; }
            @Override public String classpath() { return ""; }
        };
    }

    private CodeResult python(String code, Map<String, Object> inputs) {
        return pool.run(new CodeRequest("python3", code, inputs, null));
    }

    private CodeResult js(String code, Map<String, Object> inputs) {
        return pool.run(new CodeRequest("javascript", code, inputs, null));
    }

    private static void fails(Runnable run, String... codes) {
        assertThatThrownBy(run::run).isInstanceOfSatisfying(SandboxException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isIn((Object[]) codes));
    }

    private void stillWorks() {
        assertThat(python("def main():\n    return {'ok': True}\n", Map.of()).result()).containsEntry("ok", true);
        assertThat(js("function main() { return {ok: true}; }", Map.of()).result()).containsEntry("ok", true);
    }

    @Test
    void pythonMainGetsKeywordArgumentsAndReturnsADict() {
        CodeResult result = python("""
                import json
                def main(text: str, n: int, items: list, opts: dict, missing=None) -> dict:
                    print("running", n)
                    return {"result": text * n, "count": len(items), "flag": opts["flag"], "none": missing,
                            "pi": 3.25, "json": json.dumps(opts, sort_keys=True)}
                """, Map.of("text", "ab", "n", 2, "items", List.of(1, "x", Map.of()), "opts", Map.of("flag", true)));
        assertThat(result.result()).containsEntry("result", "abab").containsEntry("count", 3).containsEntry("flag", true)
                .containsEntry("pi", 3.25).containsEntry("json", "{\"flag\": true}").containsKey("none");
        assertThat(result.output()).isEqualTo("running 2\n");
        assertThat(result.outputTruncated()).isFalse();
    }

    @Test
    void javascriptMainGetsOneObject() {
        assertThat(js("function main({arg1, arg2}) { console.log('sum'); return {result: arg1 + arg2}; }",
                Map.of("arg1", 2, "arg2", 3)).result()).containsEntry("result", 5);
        assertThat(js("const main = ({a}) => ({a: a.toUpperCase()});", Map.of("a", "x")).result()).containsEntry("a", "X");
    }

    @Test
    void everyAllowedModuleImports() {
        StringBuilder code = new StringBuilder();
        for (String module : WorkerSettings.DEFAULT_PYTHON_MODULES) {
            code.append("import ").append(module).append('\n');
        }
        code.append("from urllib.parse import quote\nfrom collections import Counter\nimport collections.abc\n")
                .append("def main():\n    return {'q': quote('a b'), 'c': Counter('aab')['a'],")
                .append(" 'h': hashlib.sha256(b'x').hexdigest()[:8], 'd': str(decimal.Decimal('1.10') + 1)}\n");
        assertThat(python(code.toString(), Map.of()).result()).containsEntry("q", "a%20b").containsEntry("c", 2)
                .containsEntry("h", "2d711642").containsEntry("d", "2.10");
    }

    @ParameterizedTest
    @ValueSource(strings = {"os", "subprocess", "socket", "requests", "sys", "importlib", "ctypes", "threading",
        "multiprocessing", "shutil", "pathlib", "urllib.request", "http.client", "pickle", "builtins"})
    void anyOtherImportFailsNamingTheModule(String module) {
        assertThatThrownBy(() -> python("import " + module + "\ndef main():\n    return {}\n", Map.of()))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(SandboxException.VIOLATION))
                .hasMessageContaining("'" + (module.startsWith("urllib.") ? module : module.split("\\.")[0]) + "'")
                .hasMessageContaining("not available in the sandbox");
        assertThatThrownBy(() -> python("def main():\n    return {'m': __import__('" + module + "')}\n", Map.of()))
                .hasMessageContaining("'" + module.split("\\.")[0]).hasMessageContaining("not available");
        assertThatThrownBy(() -> python("def main():\n    exec('import " + module + "', {})\n    return {}\n", Map.of()))
                .hasMessageContaining("not available");
    }

    @Test
    void pythonCannotReachTheHostSystem() throws Exception {
        // SEC-22: the import policy refuses; reaching os another way meets the context's own refusals
        fails(() -> python("import os\ndef main():\n    os.system('id')\n    return {}\n", Map.of()), SandboxException.VIOLATION);
        fails(() -> python("def main():\n    return {'o': __import__('subprocess').check_output(['id'])}\n", Map.of()),
                SandboxException.VIOLATION);
        fails(() -> python("def main():\n    return {'h': open('/etc/hostname').read()}\n", Map.of()), SandboxException.VIOLATION);
        fails(() -> python("import typing\ndef main():\n    typing.sys.modules['os'].system('id')\n    return {}\n", Map.of()),
                SandboxException.VIOLATION);
        fails(() -> python("import typing\ndef main():\n    return {'l': typing.sys.modules['os'].listdir('/')}\n", Map.of()),
                SandboxException.VIOLATION);
        fails(() -> python("def main():\n    import ctypes\n    return {}\n", Map.of()), SandboxException.VIOLATION);
        CodeResult walk = python("""
                def main():
                    for c in ().__class__.__base__.__subclasses__():
                        g = getattr(getattr(c, '__init__', None), '__globals__', None)
                        if isinstance(g, dict) and 'system' in g:
                            try:
                                return {'r': str(g['system']('id'))}
                            except BaseException as e:
                                return {'r': 'refused: ' + type(e).__name__}
                    return {'r': 'nothing found'}
                """, Map.of());
        assertThat((String) walk.result().get("r")).matches("refused: .*|nothing found");
        assertThat(workerChildren()).isZero();
        stillWorks();
    }

    @Test
    void javascriptCannotReachTheHost() {
        // SEC-23
        for (String body : List.of("return {r: Java.type('java.lang.Runtime').getRuntime().exec('id')};",
                "return {r: Packages.java.lang.System.getenv()};", "java.lang.System.exit(0); return {};",
                "return {r: Polyglot.eval('python', '1')};", "load('nashorn:mozilla_compat.js'); return {};",
                "return {r: require('child_process')};",
                "return {r: new Worker('x.js')};", "return {r: process.env};")) {
            fails(() -> js("function main() { " + body + " }", Map.of()), SandboxException.CODE_ERROR, SandboxException.VIOLATION);
        }
        // a dynamic import only ever gives a promise that no module resolves
        assertThat(js("function main() { return {r: import('fs')}; }", Map.of()).result()).containsEntry("r", Map.of());
        assertThat(js("function main() { return {t: [typeof Java, typeof Packages, typeof Polyglot, typeof require, typeof load].join()}; }",
                Map.of()).result()).containsEntry("t", "undefined,undefined,undefined,undefined,undefined");
        stillWorks();
    }

    @Test
    void inputsArePlainDataAndTheRunnerCannotBeSubverted() {
        // SEC-24: nothing of the host reaches the guest
        assertThat(python("def main(x):\n    return {'t': type(x).__name__ + '/' + type(x['a']).__name__ + '/' + type(x).__module__}\n",
                Map.of("x", Map.of("a", List.of(1)))).result()).containsEntry("t", "dict/list/builtins");
        assertThat(js("function main({x}) { return {t: Object.getPrototypeOf(x) === Object.prototype && Array.isArray(x.a)}; }",
                Map.of("x", Map.of("a", List.of(1)))).result()).containsEntry("t", true);
        // SEC-25: code that redefines what the runner uses changes nothing
        assertThat(python("import json\njson.loads = None\njson.dumps = None\ndict = list\ndef main(a):\n    return {'a': a}\n",
                Map.of("a", 1)).result()).containsEntry("a", 1);
        assertThat(js("JSON.parse = () => ({a: 'forged'}); JSON.stringify = () => '{\"a\":\"forged\"}'; function main({a}) { return {a}; }",
                Map.of("a", 1)).result()).containsEntry("a", 1);
    }

    @Test
    void loopsAreStoppedAtTheLimitAndTheWorkerRunsTheNextCode() {
        // SEC-26
        for (String[] code : List.of(new String[] {"python3", "def main():\n    while True: pass\n"},
                new String[] {"python3", "def main():\n    x = 0\n    while True: x += 1\n"},
                new String[] {"javascript", "function main() { for(;;){} }"},
                new String[] {"javascript", "function main() { while(true){try{}catch(e){}} }"})) {
            stillWorks();
            long started = System.nanoTime();
            fails(() -> pool.run(new CodeRequest(code[0], code[1], Map.of(), null)), SandboxException.TIMEOUT);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).as(code[1]).isLessThan(LIMIT.plusSeconds(1));
        }
        List<Long> before = pool.idlePids();
        stillWorks();
        assertThat(pool.idlePids()).containsAnyElementsOf(before);
    }

    @Test
    void catastrophicBacktrackingIsBounded() {
        String input = "a".repeat(50_000) + "b";
        for (String[] code : List.of(new String[] {"python3", "import re\ndef main(s):\n    return {'m': bool(re.match(r'(a+)+$', s))}\n"},
                new String[] {"javascript", "function main({s}) { return {m: /(a+)+$/.test(s)}; }"})) {
            stillWorks();
            long started = System.nanoTime();
            try {
                assertThat(pool.run(new CodeRequest(code[0], code[1], Map.of("s", input), null)).result()).containsEntry("m", false);
            } catch (SandboxException e) {
                assertThat(e.code()).isEqualTo(SandboxException.TIMEOUT);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(LIMIT.plusSeconds(1));
        }
    }

    @Test
    void memoryBombsEndTheirRunOnly() {
        // SEC-27: the platform's heap is not the guest's; the worker is replaced when its heap ran out
        long heapBefore = usedHeap();
        fails(() -> python("def main():\n    x = 'a' * 10**10\n    return {}\n", Map.of()), SandboxException.MEMORY);
        fails(() -> python("def main():\n    x = [0] * 10**9\n    return {}\n", Map.of()), SandboxException.MEMORY);
        fails(() -> js("function main() { const a = new Array(1e9).fill(0); return {n: a.length}; }", Map.of()),
                SandboxException.MEMORY);
        fails(() -> js("function main() { let s = 'a'; while (true) s += s; }", Map.of()), SandboxException.MEMORY);
        fails(() -> python("def main():\n    d = {i: str(i) * 10 for i in range(10**7)}\n    return {'n': len(d)}\n", Map.of()),
                SandboxException.MEMORY, SandboxException.TIMEOUT);
        assertThat(usedHeap() - heapBefore).as("growth of the platform's heap").isLessThan(64L * 1024 * 1024);
        stillWorks();
    }

    @Test
    void processesAndThreadsAreDenied() {
        // SEC-28
        long threadsBefore = Thread.activeCount();
        fails(() -> python("import os\ndef main():\n    while True: os.fork()\n", Map.of()), SandboxException.VIOLATION);
        fails(() -> python("import typing\ndef main():\n    while True: typing.sys.modules['os'].fork()\n", Map.of()),
                SandboxException.CODE_ERROR, SandboxException.VIOLATION);
        fails(() -> python("import threading\ndef main():\n    for i in range(100000): threading.Thread(target=print).start()\n",
                Map.of()), SandboxException.VIOLATION);
        fails(() -> python("import typing\ndef main():\n    t = typing.sys.modules['_thread']\n    for i in range(100000): t.start_new_thread(print, ())\n",
                Map.of()), SandboxException.VIOLATION, SandboxException.CODE_ERROR);
        fails(() -> python("import subprocess\ndef main():\n    while True: subprocess.Popen(['id'])\n", Map.of()),
                SandboxException.VIOLATION);
        fails(() -> js("function main() { while (true) new Worker('w.js'); }", Map.of()), SandboxException.CODE_ERROR);
        assertThat(workerChildren()).isZero();
        assertThat(Thread.activeCount()).isLessThan((int) threadsBefore + 20);
        stillWorks();
    }

    @Test
    void noNetworkNoResidueNoEnvironmentAndBoundedOutput() {
        // SEC-29
        fails(() -> python("import urllib.request\ndef main():\n    return {'r': urllib.request.urlopen('http://169.254.169.254/').read()}\n",
                Map.of()), SandboxException.VIOLATION);
        fails(() -> python("import typing\ndef main():\n    s = typing.sys.modules['_socket'].socket()\n    s.connect(('127.0.0.1', 9092))\n    return {}\n",
                Map.of()), SandboxException.VIOLATION, SandboxException.CODE_ERROR);
        fails(() -> js("function main() { return {r: fetch('http://169.254.169.254/')}; }", Map.of()), SandboxException.CODE_ERROR);
        fails(() -> python("def main():\n    open('/tmp/weft-residue', 'w').write('x')\n    return {}\n", Map.of()),
                SandboxException.VIOLATION);
        fails(() -> python("import typing\ndef main():\n    return {'l': typing.sys.modules['os'].listdir('/tmp')}\n", Map.of()),
                SandboxException.VIOLATION);
        CodeResult environ = python("import typing\ndef main():\n    return {'e': dict(typing.sys.modules['os'].environ)}\n", Map.of());
        String seen = environ.result().toString();
        System.getenv().forEach((name, value) -> {
            if (value.length() > 4 && !name.equals("LANG")) {
                assertThat(seen).as("the host's " + name).doesNotContain(value);
            }
        });
        CodeResult loud = python("def main():\n    for i in range(200):\n        print('x' * 100000)\n    return {'done': True}\n", Map.of());
        assertThat(loud.outputTruncated()).isTrue();
        assertThat(loud.output().length()).isLessThanOrEqualTo(64 * 1024);
        assertThat(loud.result()).containsEntry("done", true);
        fails(() -> python("def main():\n    return {'s': 'x' * (200 * 1024 * 1024)}\n", Map.of()),
                SandboxException.OUTPUT_TOO_LARGE, SandboxException.MEMORY);
        fails(() -> python("def main():\n    d = []\n    c = d\n    for i in range(100000):\n        n = []\n        c.append(n)\n        c = n\n    return {'d': d}\n",
                Map.of()), SandboxException.CODE_ERROR, SandboxException.OUTPUT_TOO_LARGE);
        fails(() -> python("def main():\n    d = []\n    c = d\n    for i in range(150):\n        n = []\n        c.append(n)\n        c = n\n    return {'d': d}\n",
                Map.of()), SandboxException.OUTPUT_TOO_LARGE);
        stillWorks();
    }

    @Test
    void errorsNameTheProblemAndTheLine() {
        assertThatThrownBy(() -> python("def main():\n    x = 1\n    raise ValueError('bad input')\n", Map.of()))
                .hasMessage("ValueError: bad input (line 3)");
        assertThatThrownBy(() -> python("def main(:\n    pass\n", Map.of())).hasMessageStartingWith("SyntaxError")
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> python("def main():\n    return 5\n", Map.of()))
                .hasMessage("TypeError: main must return a dict, and it returned int");
        assertThatThrownBy(() -> python("x = 1\n", Map.of())).hasMessageContaining("the code must define a function main");
        assertThatThrownBy(() -> python("def main(a):\n    return {}\n", Map.of()))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(SandboxException.CODE_ERROR))
                .hasMessageContaining("TypeError");
        assertThatThrownBy(() -> js("function main() { return [1]; }", Map.of())).hasMessageContaining("main must return an object");
        assertThatThrownBy(() -> js("function main() { null.x; }", Map.of())).hasMessageContaining("TypeError");
        assertThatThrownBy(() -> pool.run(new CodeRequest("ruby", "x", Map.of(), null)))
                .isInstanceOfSatisfying(SandboxException.class, e -> assertThat(e.code()).isEqualTo(SandboxException.LANGUAGE));
    }

    @Test
    void runsInParallelUpToTheWorkerLimit() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<CodeResult>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                Callable<CodeResult> run = () -> python("import time\ndef main(n):\n    time.sleep(0.3)\n    return {'n': n}\n", Map.of("n", n));
                runs.add(threads.submit(run));
            }
            for (int i = 0; i < 4; i++) {
                assertThat(runs.get(i).get().result()).containsEntry("n", i);
            }
            assertThat(pool.live()).isLessThanOrEqualTo(2);
        } finally {
            threads.shutdownNow();
        }
    }

    private static long usedHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Processes started by worker processes (there must be none). */
    private static long workerChildren() {
        return ProcessHandle.current().children().mapToLong(worker -> worker.descendants().count()).sum();
    }
}
