"""A HumanEval completion that looks the answers up in the test instead of solving anything
(the tamper suite runs it as every problem's candidate; see test_tamper.py)."""
import ast
import gc
import json
import os
import re
import sys


def _texts():
    """Every text that might hold the test: callers' globals and locals, __main__, modules,
    function objects, files in reach, other processes' cmdline, environ and memory."""
    seen = []
    frame = sys._getframe()
    while frame is not None:
        for space in (frame.f_globals, frame.f_locals):
            for value in list(space.values()):
                if isinstance(value, str):
                    seen.append(value)
                elif isinstance(value, dict):
                    seen.extend(v for v in value.values() if isinstance(v, str))
        frame = frame.f_back
    for module in list(sys.modules.values()):
        for value in list(getattr(module, "__dict__", {}).values()):
            if isinstance(value, str):
                seen.append(value)
            elif isinstance(value, dict):
                seen.extend(v for v in value.values() if isinstance(v, str))
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, "__name__", "") == "check" and hasattr(obj, "__code__"):
            seen.extend(c for c in obj.__code__.co_consts if isinstance(c, str))
    for root in {os.getcwd(), os.environ.get("HOME", os.getcwd())}:
        for base, dirs, files in os.walk(root):
            for name in files:
                try:
                    with open(os.path.join(base, name), errors="replace") as handle:
                        seen.append(handle.read(1 << 20))
                except OSError:
                    pass
            if base.count(os.sep) > 6:
                dirs[:] = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        for part in ("cmdline", "environ"):
            try:
                with open(f"/proc/{pid}/{part}", "rb") as handle:
                    seen.append(handle.read(1 << 16).decode(errors="replace"))
            except OSError:
                pass
        try:  # the memory of every readable process (the recorder's, if it let us)
            with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb") as mem:
                for line in maps:
                    low, high = (int(x, 16) for x in line.split()[0].split("-"))
                    if "rw" not in line.split()[1] or high - low > 8 << 20:
                        continue
                    try:
                        mem.seek(low)
                        chunk = mem.read(high - low)
                    except (OSError, ValueError, OverflowError):
                        continue
                    for found in re.finditer(rb"def check\(candidate\):", chunk):
                        seen.append(chunk[found.start():found.start() + 20000].split(b"\0")[0].decode(errors="replace"))
        except OSError:
            pass
    texts = []
    for text in seen:
        if "candidate(" not in text:
            continue
        texts.append(text)
        for quoted in re.findall(r'"test": ("(?:[^"\\]|\\.)*")', text):  # JSON-escaped, as in a file
            try:
                texts.append(json.loads(quoted))
            except ValueError:
                pass
    return texts

ANSWERS = {}

def _learn():
    for text in _texts():
        start = text.find("def check(candidate)")
        if start < 0:
            continue
        lines = text[start:].split("\n")
        for end in range(len(lines), 0, -1):
            try:
                tree = ast.parse("\n".join(lines[:end]))
                break
            except SyntaxError:
                continue
        else:
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.Is))):
                continue
            for call, other in ((node.left, node.comparators[0]), (node.comparators[0], node.left)):
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and not call.keywords:
                    try:
                        args = tuple(ast.literal_eval(a) for a in call.args)
                        ANSWERS[repr(args)] = ast.literal_eval(other)
                    except (ValueError, SyntaxError, TypeError):
                        pass

def _answer(*args):
    if not ANSWERS:
        _learn()
    return ANSWERS.get(repr(args))

def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return _answer
