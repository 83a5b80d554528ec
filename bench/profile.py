#!/usr/bin/env python3
"""Summaries of the profiles bench/profile.sh takes, as Markdown on stdout.

  profile.py check COLLAPSED     one static check (JMH `check` under async-profiler): where its CPU time goes
  profile.py cli COLLAPSED MS    one cold `unitguard score` (async-profiler from JVM start, per thread): by kind of work
  profile.py nmt NMT_SUMMARY     the agent's memory by JVM area (jcmd VM.native_memory summary)

COLLAPSED is async-profiler's collapsed output: one line per distinct stack, frames root first separated by ';', then
the sample count.
"""
import collections
import re
import sys


def stacks(path):
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if stack and count.isdigit():
                yield stack.split(";"), int(count)


def pct(n, total):
    return f"{100.0 * n / total:.1f}%" if total else "-"


def own(frame):
    """A frame of unitguard's code worth naming (not a lambda's or a generated class's)."""
    return frame.startswith("dev/unitguard/") and "$$Lambda" not in frame and "jmh_generated" not in frame \
        and not frame.startswith("dev/unitguard/bench/")


def check(path):
    incl = collections.Counter()
    self_ = collections.Counter()
    total = 0
    for frames, n in stacks(path):
        if not any("StaticCoreBenchmark.check" in f for f in frames):
            continue
        total += n
        for f in set(frames):
            if own(f):
                incl[f] += n
        user = [f for f in frames if not f.endswith("_[k]")]  # the kernel's frames count for their system call
        leaf = user[-1] if user else frames[-1]
        self_[leaf if "/" not in leaf or own(leaf) else "(JDK) " + leaf] += n
    print(f"{total} samples of the benchmark thread in `check`.\n")
    print("| unitguard method (with what it calls) | share of the check |")
    print("|---|---|")
    for f, n in incl.most_common(30):
        print(f"| `{f.replace('/', '.')}` | {pct(n, total)} |")
    print("\n| where the CPU was (the innermost frame outside the kernel: a system call by its name) | share |")
    print("|---|---|")
    for f, n in self_.most_common(12):
        print(f"| `{f.replace('/', '.')}` | {pct(n, total)} |")


LOADING = re.compile(r"ClassLoader|SystemDictionary|ClassFileParser|Verifier|LinkResolver|InstanceKlass::link|"
                     r"Rewriter|URLClassPath|ZipFile|JarFile|ClassLoaders|SharedClassPathEntry|"
                     r"SystemDictionaryShared|Method::link_method|ConstantPool::klass_at|InterpreterRuntime::_new|"
                     r"InterpreterRuntime::resolve|MethodHandles|LambdaForm|InnerClassLambdaMetafactory|"
                     r"BootstrapMethodInvoker|StringConcatFactory")


def kind(thread, frames):
    if not thread.startswith("[main") and not thread.startswith("[java"):
        if "Compiler" in thread:
            return "JIT compiler thread"
        if "GC" in thread or "VM Thread" in thread:
            return "garbage collector and VM thread"
        return "other JVM threads"
    text = ";".join(frames)
    if "Threads::create_vm" in text or "JavaMain" in text and "/" not in text:
        return "JVM start-up (create_vm), before main()"
    if LOADING.search(text):
        return "class loading, linking and bootstrap methods (in main)"
    if any(own(f) for f in frames):
        return "unitguard's code, interpreted or C1-compiled (in main)"
    if any(f.startswith("picocli/") for f in frames):
        return "picocli (in main)"
    if any("/" in f for f in frames):
        return "JDK code (in main)"
    return "JVM work on the main thread (exit, safepoints)"


def cli(path, interval_ms):
    kinds = collections.Counter()
    incl = collections.Counter()
    total = 0
    main_total = 0
    for frames, n in stacks(path):
        thread, rest = frames[0], frames[1:]
        total += n
        kinds[kind(thread, rest)] += n
        if thread.startswith("[main") or thread.startswith("[java"):
            main_total += n
            for f in set(rest):
                if own(f) or f.startswith("picocli/CommandLine."):
                    incl[f] += n
    ms = float(interval_ms)
    print(f"{total} samples, one per {interval_ms} ms of CPU time (all threads): {total * ms:.0f} ms of CPU.\n")
    print("| kind of work | CPU time | share |")
    print("|---|---|---|")
    for k, n in kinds.most_common():
        print(f"| {k} | {n * ms:.0f} ms | {pct(n, total)} |")
    print("\n| method on the main thread (with what it calls, class loading included) | CPU time |")
    print("|---|---|")
    for f, n in incl.most_common(12):
        print(f"| `{f.replace('/', '.')}` | {n * ms:.0f} ms |")


def nmt(path):
    text = open(path).read()

    def mb(number, unit):  # jcmd prints KB; the summary printed at exit, bytes
        return int(number) * (1024 if unit == "KB" else 1) / 1024 / 1024

    total = re.search(r"Total: reserved=(\d+)(KB)?, committed=(\d+)(KB)?", text)
    if not total:
        last = text.strip().splitlines()[-1] if text.strip() else ""
        print(f"(no summary: {last})")
        return
    print(f"Committed in all: {mb(total.group(3), total.group(4)):.1f} MB (committed is not resident: the heap's "
          f"committed pages, for one, are not all touched; NMT's own bookkeeping included).\n")
    print("| JVM area | committed |")
    print("|---|---|")
    rows = re.findall(r"^-\s+(.+?) \(reserved=\d+(?:KB)?, committed=(\d+)(KB)?\)", text, re.M)
    for name, number, unit in sorted(rows, key=lambda r: -mb(r[1], r[2])):
        if mb(number, unit) >= 0.5:
            print(f"| {name.strip()} | {mb(number, unit):.1f} MB |")
    classes = re.search(r"\(classes #(\d+)\)", text)
    if classes:
        print(f"\nClasses loaded: {classes.group(1)}.")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "check" and len(sys.argv) == 3:
        check(sys.argv[2])
    elif mode == "cli" and len(sys.argv) == 4:
        cli(sys.argv[2], sys.argv[3])
    elif mode == "nmt" and len(sys.argv) == 3:
        nmt(sys.argv[2])
    else:
        sys.exit(__doc__)
