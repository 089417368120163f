"""CPU time and memory of a server's whole process tree, read from /proc.

A server may be several processes (gunicorn's arbiter and worker, nginx's master and
worker); what it costs is the sum over the tree.
"""
import os

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _children_map():
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # exited meanwhile
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def process_tree(root_pid):
    """root_pid and all its descendants that are alive now."""
    children = _children_map()
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def cpu_seconds(pids):
    """utime + stime of the given processes, in seconds."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS_PER_SECOND


def memory_kib(pids, field):
    """Sum of a /proc/PID/status field (VmRSS: now, VmHWM: peak) in KiB."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith(field + ":"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total
