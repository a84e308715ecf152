"""EASE's Gram matrix and inverse in numpy/scipy (LAPACK potrf + potri on OpenBLAS), on the
matrix file bench/ease.ts wrote: the reference its figures are compared with in the same run.

    python3 ease_numpy.py <matrix.bin> <lambda> <float64|float32> [<sample.bin>]

Prints one JSON line: gram and inverse seconds, idle and peak RSS (MiB), and with a sample file
(rows of Marquee's float32 inverse) the largest error of those rows against this inverse.
"""
import json
import resource
import sys
import time

import numpy as np


def rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def main():
    path, lam, dtype = sys.argv[1], float(sys.argv[2]), np.dtype(sys.argv[3])
    sample = sys.argv[4] if len(sys.argv) > 4 else None
    import scipy.sparse as sp
    from scipy.linalg import lapack

    raw = np.fromfile(path, dtype=np.uint8)
    rows, cols, nnz = np.frombuffer(raw[:12], dtype=np.int32)
    off = 12
    indptr = np.frombuffer(raw[off : off + (rows + 1) * 4], dtype=np.int32)
    off += (rows + 1) * 4
    indices = np.frombuffer(raw[off : off + nnz * 4], dtype=np.int32)
    off += nnz * 4
    data = np.frombuffer(raw[off : off + nnz * 4], dtype=np.float32)
    x = sp.csr_matrix((data.astype(dtype), indices, indptr), shape=(rows, cols))
    idle = current_rss_mib()

    t0 = time.perf_counter()
    g = np.asarray((x.T @ x).todense(), dtype=dtype)
    g[np.diag_indices(cols)] += lam
    t1 = time.perf_counter()
    potrf, potri = (lapack.dpotrf, lapack.dpotri) if dtype == np.float64 else (lapack.spotrf, lapack.spotri)
    # g is C-ordered and symmetric: its transpose is the same matrix in Fortran order, which
    # LAPACK overwrites in place (no copy).
    c, info = potrf(g.T, lower=1, overwrite_a=1, clean=0)
    if info != 0:
        raise SystemExit(f"potrf failed: info {info}")
    p, info = potri(c, lower=1, overwrite_c=1)
    if info != 0:
        raise SystemExit(f"potri failed: info {info}")
    t2 = time.perf_counter()
    out = {
        "gramSeconds": t1 - t0,
        "inverseSeconds": t2 - t1,
        "idleRssMiB": idle,
        "peakRssMiB": rss_mib(),
        "numpy": np.__version__,
        "dtype": str(dtype),
    }
    try:
        from threadpoolctl import threadpool_info

        out["blas"] = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} x{i.get('num_threads')}" for i in threadpool_info()]
    except ImportError:
        pass
    if sample:
        s = np.fromfile(sample, dtype=np.int32, count=1)[0]
        ids = np.fromfile(sample, dtype=np.int32, count=1 + s)[1:]
        ours = np.fromfile(sample, dtype=np.float32, offset=4 * (1 + s)).reshape(s, cols)
        worst = 0.0
        scale = 0.0
        for r, row in zip(ids, ours):
            # p holds the lower triangle of the inverse: row r is p[r, :r+1] then column r below.
            ref = np.concatenate([p[r, : r + 1], p[r + 1 :, r]]).astype(np.float64)
            worst = max(worst, float(np.max(np.abs(row - ref))))
            scale = max(scale, float(np.max(np.abs(ref))))
        out["maxRelativeError"] = worst / scale
    print(json.dumps(out))


if __name__ == "__main__":
    main()
