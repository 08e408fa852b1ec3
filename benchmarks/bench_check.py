"""Time `pineal.check` per article of the labelled corpus after start-up (issue 11 target: <= 1 s per article).

    python3 benchmarks/bench_check.py

Start-up (imports of spaCy/medspaCy, building the pipeline, the first PK runs) is timed separately; each article is
then checked 3 times and the best time reported. There is no other claim checker to compare with; the figure is
the absolute time on this machine.
"""

import json
import time
from pathlib import Path

ARTICLES = Path(__file__).parents[1] / "tests" / "data" / "articles"


def main() -> None:
    t0 = time.perf_counter()
    import pineal

    pineal.check("Melatonin 3 mg before bed.")
    print(f"start-up (import + pipeline + first check): {time.perf_counter() - t0:.2f} s")
    files = [a["file"] for a in json.loads((ARTICLES / "labelled_corpus.json").read_text())["articles"]]
    files.append("seed-1000mg-melatonin.txt")
    times = []
    for f in files:
        text = (ARTICLES / f).read_text(encoding="utf-8")
        best = min(_timed(pineal.check, text) for _ in range(3))
        times.append(best)
        print(f"{f[:44]:44s} {len(text):6d} chars {best * 1000:7.1f} ms")
    print(f"median {sorted(times)[len(times) // 2] * 1000:.1f} ms, max {max(times) * 1000:.1f} ms over {len(times)}")


def _timed(fn, arg) -> float:
    t = time.perf_counter()
    fn(arg)
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
