"""Boot the real stack on bench ports, then measure it.

- Turn latency and throughput through the gateway's REST webhook (store, relay, store), beside
  stock Rasa's own REST channel with the same model, in the same run.
- Memory (RSS) of each process at rest.

    python -m bench [--turns 200] [--concurrency 1,16]
"""

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from ops.stack import Stack, stack_environment

BENCH_PORTS = {
    "RASA_PORT": "35005",
    "ACTIONS_PORT": "35055",
    "GATEWAY_PORT": "38000",
    "HANDOFF_PORT": "38001",
    "SANDBOX_PORT": "38002",
}
MESSAGES = ["oi", "o que vc faz?", "obrigado", "hola", "¿qué puedes hacer?", "gracias"]

# Which process is which, by a piece of its command line.
PROCESS_NAMES = {
    "rasa run actions": "actions",
    "rasa run --enable-api": "rasa",
    "channels.main": "gateway",
    "handoff.main": "handoff",
    "sandbox.main": "sandbox",
    "arq worker": "worker",
    "honcho start": "honcho",
}


async def measure_turns(url: str, turns: int, concurrency: int) -> tuple[list[float], float]:
    """Send `turns` messages over `concurrency` conversations: latencies (s) and wall time."""
    latencies: list[float] = []

    async def conversation(client: httpx.AsyncClient, index: int, count: int) -> None:
        sender = f"bench-{concurrency}-{index}-{time.monotonic_ns()}"
        for turn in range(count):
            started = time.perf_counter()
            response = await client.post(
                url, json={"sender": sender, "message": MESSAGES[turn % len(MESSAGES)]}
            )
            response.raise_for_status()
            latencies.append(time.perf_counter() - started)

    per_conversation = max(turns // concurrency, 1)
    async with httpx.AsyncClient(timeout=60) as client:
        started = time.perf_counter()
        await asyncio.gather(
            *(conversation(client, i, per_conversation) for i in range(concurrency))
        )
        return latencies, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def report_latency(stack: Stack, turns: int, concurrencies: list[int]) -> None:
    targets = {
        "acolhe gateway": f"{stack.gateway_url}/webhooks/rest/webhook",
        "stock Rasa REST": f"{stack.rasa_url}/webhooks/rest/webhook",
    }
    print(f"\nTurn latency, {turns} turns per row (REST, same model, same run)")
    print(f"{'target':<18}{'conc.':>6}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}{'turns/s':>9}")
    for concurrency in concurrencies:
        for name, url in targets.items():
            asyncio.run(measure_turns(url, concurrency, concurrency))  # warm-up
            latencies, wall = asyncio.run(measure_turns(url, turns, concurrency))
            print(
                f"{name:<18}{concurrency:>6}{percentile(latencies, 0.5) * 1000:>9.1f}"
                f"{percentile(latencies, 0.95) * 1000:>9.1f}"
                f"{statistics.mean(latencies) * 1000:>9.1f}{len(latencies) / wall:>9.1f}"
            )


def process_tree(root_pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name may hold spaces; the parent pid is the 2nd field after its ")".
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {root_pid}, True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= children
        grew = bool(children)
    return tree


def process_memory(root_pid: int) -> dict[str, tuple[int, int]]:
    """(RSS, PSS) in MiB of each named process under `root_pid` (the stack's honcho).

    PSS divides pages shared between processes among them, so the PSS column adds up.
    """
    memory: dict[str, tuple[int, int]] = {}
    for pid in process_tree(root_pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        name = next((n for fragment, n in PROCESS_NAMES.items() if fragment in command), None)
        if name is None or command.startswith("/bin/sh"):
            continue
        kib = {line.split(":")[0]: int(line.split()[1]) for line in rollup[1:] if line.strip()}
        rss, pss = memory.get(name, (0, 0))
        memory[name] = (rss + kib["Rss"] // 1024, pss + kib["Pss"] // 1024)
    return memory


def report_memory(stack: Stack) -> None:
    print("\nMemory at rest, MiB (honcho: the process manager and its output readers)")
    memory = process_memory(stack.manager_pid)
    print(f"  {'process':<10}{'RSS':>7}{'PSS':>7}")
    for name, (rss, pss) in sorted(memory.items(), key=lambda item: -item[1][0]):
        print(f"  {name:<10}{rss:>7}{pss:>7}")
    print(f"  {'total':<10}{'':>7}{sum(pss for _, pss in memory.values()):>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=192)
    parser.add_argument("--concurrency", default="1,16")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="acolhe-bench-") as var_dir:
        env = stack_environment(
            {
                **os.environ,
                **BENCH_PORTS,
                "ACOLHE_VAR_DIR": var_dir,
                "REDIS_URL": "redis://localhost:6379/2",
            }
        )
        stack = Stack(env, log_path=Path(var_dir) / "stack.log")
        stack.start()
        try:
            started = time.perf_counter()
            stack.wait_until_healthy(timeout=240)
            print(f"Stack healthy in {time.perf_counter() - started:.1f}s")
            time.sleep(5)
            report_memory(stack)
            report_latency(stack, args.turns, [int(c) for c in args.concurrency.split(",")])
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
