#!/usr/bin/python3
"""Raw HTTP clients for SecurityLimitsIT, run inside the lab as the user under test.

flood tcp|unix N SECONDS: opens N connections to the listener, sends nothing, prints "held", holds them idle for
  SECONDS, then prints how many the agent closed. (Run several: one process may hold only
  as many files as RLIMIT_NOFILE allows, 20,000 on the build machines, and cannot raise it.)
raw unix|tcp: sends stdin as one request and prints the answer as it came, then "closed after S s".
slow: Content-Length 1000 with 10 bytes of body on the Unix socket, then nothing; prints the answer and the time.
"""
import socket
import sys
import time

SOCKET = "/run/unitguard/agent.sock"
TCP = ("127.0.0.1", 9647)


def connect(kind, timeout=5.0):
    s = socket.socket(socket.AF_UNIX if kind == "unix" else socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(SOCKET if kind == "unix" else TCP)
    return s


def read_all(s, limit):
    s.settimeout(limit)
    data = b""
    start = time.monotonic()
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return data, time.monotonic() - start


def closed_by_peer(s):
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def flood(kinds, n, seconds):
    held = {kind: [] for kind in kinds}
    failed = {kind: 0 for kind in kinds}
    closed = {kind: 0 for kind in kinds}
    for i in range(n):
        for kind in kinds:
            try:
                held[kind].append(connect(kind, 2.0))
            except OSError:
                failed[kind] += 1
    print("held", flush=True)
    time.sleep(seconds)
    for kind in kinds:
        closed[kind] = sum(1 for s in held[kind] if closed_by_peer(s))
    for kind in kinds:
        print(f"{kind}: attempted {n}, connect-failed {failed[kind]}, opened {len(held[kind])},"
              f" closed-by-agent {closed[kind]}", flush=True)


def raw(kind):
    s = connect(kind)
    s.sendall(sys.stdin.buffer.read())
    data, took = read_all(s, 60)
    sys.stdout.write(data.decode("utf-8", "replace"))
    print(f"\nclosed after {took:.1f} s")


def slow():
    s = connect("unix")
    s.sendall(b"POST /v1/units/dbus.service/check HTTP/1.1\r\nHost: localhost\r\n"
              b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"set\": {}")
    data, took = read_all(s, 120)
    sys.stdout.write(data.decode("utf-8", "replace"))
    print(f"\nclosed after {took:.1f} s")


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "flood":
        flood([sys.argv[2]], int(sys.argv[3]), float(sys.argv[4]))
    elif mode == "raw":
        raw(sys.argv[2])
    else:
        slow()
