"""Reference motif scores from Biopython's Bio.motifs, for the agreement test and the benchmark.

Usage: python3 biopython_motif_scores.py CONFIG.json
CONFIG: {"motifs": path of a JASPAR file, "ids": [...] or null for all, "sequence": FASTA path (plain or gzip, first
record), "start": int, "end": int, "pseudocount": float, "background": [A, C, G, T], "relative_threshold": float,
"full": [ids whose full score arrays to write], "out": folder for <id>.fwd.f32 / <id>.rev.f32}
Prints JSON: {"seconds": scoring wall time, "cpu_seconds": its CPU time, "length": n, "motifs": [{"id", "max", "sum", "consensus"}]}.
The same choices as src-main/motifs/pwm.ts: the pseudocount split over the bases by the background, each column
normalised on its own, log2 odds against the background, both strands (the reverse through the reverse-complement
PSSM), windows with a letter other than ACGT scored NaN and left out.
"""
import gzip
import json
import math
import os
import sys
import time

import numpy as np
from Bio import motifs


def read_first_record(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    parts = []
    with opener(path, "rt") as f:
        seen = False
        for line in f:
            if line.startswith(">"):
                if seen:
                    break
                seen = True
                continue
            parts.append(line.strip())
    return "".join(parts)


def main():
    cfg = json.load(open(sys.argv[1]))
    seq = read_first_record(cfg["sequence"])[cfg["start"] : cfg["end"]]
    with open(cfg["motifs"]) as f:
        collection = motifs.parse(f, "jaspar")
    wanted = cfg.get("ids")
    if wanted is not None:
        by_id = {m.matrix_id: m for m in collection}
        collection = [by_id[i] for i in wanted]
    bg = dict(zip("ACGT", cfg["background"]))
    pc = cfg["pseudocount"]
    full = set(cfg.get("full") or [])
    out = []
    seconds = 0.0
    cpu_seconds = 0.0
    for m in collection:
        t0 = time.perf_counter()
        c0 = time.process_time()
        pwm = m.counts.normalize(pseudocounts={b: pc * bg[b] for b in "ACGT"})
        pssm = pwm.log_odds(bg)
        fwd = pssm.calculate(seq)
        rev = pssm.reverse_complement().calculate(seq)
        seconds += time.perf_counter() - t0
        cpu_seconds += time.process_time() - c0
        both = np.concatenate([np.atleast_1d(fwd), np.atleast_1d(rev)]).astype(np.float64)
        finite = both[~np.isnan(both)]
        threshold = cfg["relative_threshold"] * pssm.max
        out.append(
            {
                "id": m.matrix_id,
                "max": float(finite.max()) if finite.size else None,
                "sum": float(finite[finite > threshold].sum()),
                "consensus": str(m.counts.degenerate_consensus),
            }
        )
        if m.matrix_id in full:
            np.asarray(fwd, dtype="<f4").tofile(os.path.join(cfg["out"], m.matrix_id + ".fwd.f32"))
            np.asarray(rev, dtype="<f4").tofile(os.path.join(cfg["out"], m.matrix_id + ".rev.f32"))
    json.dump({"seconds": seconds, "cpu_seconds": cpu_seconds, "length": len(seq), "motifs": out}, sys.stdout)


if __name__ == "__main__":
    main()
