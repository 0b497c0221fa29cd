"""Latency of Searcher.similar() on an existing index (issue 14, requirement 5).

    PYTHONPATH=build/python /usr/bin/python3 bench/similar_latency.py DB [--ids 200] [--seed 42]

Takes up to 2 × --ids article ids from the hits of ten topic queries, asks similar() for the
second half to warm the caches (the operating system's and the frequencies a Searcher keeps),
then times one call for each id of the first half, articles it has not been asked about yet,
and prints p50 / p95 / p99 in ms.
"""
import argparse
import random
import time

import vnsearch

TOPICS = ["kinh tế", "bóng đá", "giáo dục", "sức khỏe", "công nghệ", "pháp luật", "văn hóa", "thế giới", "du lịch", "xã hội"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("--ids", type=int, default=200)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    searcher = vnsearch.Searcher(args.db)
    ids = sorted({hit.id for q in TOPICS for hit in searcher.search(q, limit=30).hits})
    random.Random(args.seed).shuffle(ids)
    ids, warm = ids[: args.ids], ids[args.ids : 2 * args.ids]
    for i in warm:
        searcher.similar(i)
    times = []
    for i in ids:
        t = time.perf_counter()
        searcher.similar(i)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(len(times) * q))]
    print(f"{len(times)} articles: p50 {pick(0.5):.2f} ms, p95 {pick(0.95):.2f} ms, p99 {pick(0.99):.2f} ms")


if __name__ == "__main__":
    main()
