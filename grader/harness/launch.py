"""The first code run in the sandbox: set the limits, lower privileges, then run the code we were given.

    python -I -S -B launch.py --site DIR --harness DIR --scratch DIR --nproc N:N --as N:N --cpu N:N
        --fsize N:N --nofile N:N --core 0:0 [--uid U --gid G] -- CODE ARG...

Why here and not in ``sandbox.py``: the process limit (RLIMIT_NPROC) only binds a process
whose real user is not root, and it counts every process of that user in the namespace where
the limit is checked. Set from the outside, before bubblewrap creates its user namespace, it
would count the grading worker's own processes too. So it is set here, inside, and when the
sandbox was started by root (no user namespace), this is also where the code drops to the
unprivileged user the trusted side picked for this run. The other limits are set here too:
nothing of the student has run yet, and the worker can then start bubblewrap with vfork
instead of copying its own memory map to run a ``preexec_fn`` (8 ms a run in a worker).

The code runs with ``sys.argv = ["<sandbox>", ARG...]`` and ``__name__ == "__main__"``.
Trusted: nothing of the student has run yet. Standard library only.
"""

import ctypes
import os
import resource
import signal
import sys

PR_SET_PDEATHSIG = 1
LIMITS = {
    "--nproc": resource.RLIMIT_NPROC,    # processes and threads of the run's user
    "--as": resource.RLIMIT_AS,          # address space
    "--cpu": resource.RLIMIT_CPU,        # SIGXCPU at the soft limit, SIGKILL at the hard one
    "--fsize": resource.RLIMIT_FSIZE,    # largest file written
    "--nofile": resource.RLIMIT_NOFILE,  # open files
    "--core": resource.RLIMIT_CORE,      # no core files
}


def _options(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    split = argv.index("--")
    pairs = argv[:split]
    options = dict(zip(pairs[0::2], pairs[1::2]))
    return options, argv[split + 1 :]


def _drop_privileges(uid: int, gid: int) -> None:
    """Become ``uid``/``gid`` for good: no supplementary groups, no capabilities left."""
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)              # with every uid non-zero, the kernel clears all capabilities
    if os.getuid() != uid or os.geteuid() != uid or os.getgid() != gid:
        raise SystemExit("sandbox: could not drop privileges")
    try:
        os.setuid(0)
    except PermissionError:
        pass
    else:
        raise SystemExit("sandbox: privileges came back after dropping them")
    # Changing user clears the parent-death signal that bwrap --die-with-parent had set;
    # set it again so that this process (the namespace's init) dies with bwrap.
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise SystemExit("sandbox: could not set the parent-death signal")


def main(argv: list[str]) -> None:
    options, (code, *args) = _options(argv)
    for option, which in LIMITS.items():
        soft, hard = options[option].split(":")
        resource.setrlimit(which, (int(soft), int(hard)))
    # If the machine runs out of memory all the same (the address-space limit is per process), the
    # kernel kills this run's processes before any of the host's. Inherited; only root could lower it.
    with open("/proc/self/oom_score_adj", "w") as f:
        f.write("1000")
    if "--uid" in options:
        _drop_privileges(int(options["--uid"]), int(options["--gid"]))
    os.chdir(options["--scratch"])
    sys.path[:0] = [options["--harness"], options["--site"]]
    sys.argv = ["<sandbox>", *args]
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    exec(compile(code, "<sandbox>", "exec"), namespace)


if __name__ == "__main__":
    main(sys.argv[1:])
