# Weft sandbox prelude: runs in each fresh context before the guest's code.
# It returns the runner that calls the guest's main(**inputs), and installs the import policy.
# The policy gives clear errors; the boundary itself is the context (no host access, no I/O,
# no processes, no threads, no native code) and the worker process (its own heap, empty environment).

def __weft_setup(allowed_csv):
    import builtins
    import json
    import sys

    _isinstance = builtins.isinstance
    _callable = builtins.callable
    _dict = builtins.dict
    _type = builtins.type
    _compile = builtins.compile
    _exec = builtins.exec
    _base_exception = builtins.BaseException
    _syntax_error = builtins.SyntaxError

    allowed = frozenset(m for m in allowed_csv.split(",") if m)
    packages = frozenset(m.split(".")[0] for m in allowed)
    original_import = builtins.__import__
    main_globals = globals()
    loads = json.loads
    dumps = json.dumps
    getframe = sys._getframe
    modules = sys.modules
    listing = ", ".join(sorted(allowed))

    class SandboxViolation(ImportError):
        pass

    def is_guest(caller_globals, depth):
        # the guest's code is main.py and what it exec()s; the standard library's own imports are its business
        if caller_globals is main_globals:
            return True
        try:
            filename = getframe(depth).f_code.co_filename
        except ValueError:
            return True
        return filename == "main.py" or filename == "<string>"

    def refuse(module):
        raise SandboxViolation("weft-sandbox: the module '%s' is not available in the sandbox "
                               "(available: %s)" % (module, listing))

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        caller = globals if globals is not None else getframe(1).f_globals
        if is_guest(caller, 2):
            if level != 0:
                raise SandboxViolation("weft-sandbox: relative imports are not available in the sandbox")
            top = name.split(".")[0]
            if name in allowed or top in allowed:
                pass
            elif top in packages:
                if name != top:
                    refuse(name)
                for item in fromlist or ():
                    if name + "." + item not in allowed:
                        refuse(name + "." + item)
            else:
                refuse(top)
        return original_import(name, globals, locals, fromlist, level)

    builtins.__import__ = guarded_import

    def guest_line(error):
        if _isinstance(error, _syntax_error) and error.filename == "main.py":
            return error.lineno
        line = None
        tb = error.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "main.py":
                line = tb.tb_lineno
            tb = tb.tb_next
        return line

    def run(code, inputs_json):
        run.last_line = None
        try:
            _exec(_compile(code, "main.py", "exec"), main_globals)
            main = main_globals.get("main")
            if not _callable(main):
                raise TypeError("weft-sandbox: the code must define a function main")
            result = main(**loads(inputs_json))
            if not _isinstance(result, _dict):
                raise TypeError("weft-sandbox: main must return a dict, and it returned %s" % _type(result).__name__)
            return dumps(result, ensure_ascii=False, allow_nan=False)
        except _base_exception as error:
            run.last_line = guest_line(error)
            raise

    run.last_line = None
    return run
