"""One risk fit shared by two app servers: the first process fits and writes it, the second only loads it.

    python bench/run_shared_fit.py [--db data/national.duckdb] [--horizon 24] [--json FILE]

Each role runs in its own process with the same model folder (a temporary one) and the same `kunci_model`, as two
app servers on shared storage would; it prints seconds, whether it fitted, the file's size and the peak RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def role(db: Path, horizon: int) -> dict:
    """Ask for the fit as a page would (analytics.risk.fitted), counting the fits made in this process."""
    sys.path.insert(0, str(ROOT))
    from analytics import risk
    made = []
    fit = risk._fit

    def counted(*args, **kwargs):
        made.append(1)
        return fit(*args, **kwargs)

    risk._fit = counted
    start = time.perf_counter()
    risk.fitted(horizon, False, db_path=db)
    seconds = time.perf_counter() - start
    files = sorted(Path(os.environ["BAPAS_FOLDER_MODEL"]).glob("risiko-*.fit"))
    return {"seconds": round(seconds, 2), "fitted_here": len(made), "file_bytes": [f.stat().st_size for f in files],
            "peak_rss_gb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "national.duckdb")
    parser.add_argument("--horizon", type=int, default=24)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--role", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.role:
        print(json.dumps(role(args.db, args.horizon)))
        return 0
    if not args.db.exists():
        print(f"basis data {args.db} tidak ada: buat dengan `python bench/run.py --scale national --only pages` "
              "(data nasional, beberapa menit) atau pakai --db data/bapas.duckdb", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BAPAS_FOLDER_MODEL": str(Path(tmp) / "model"), "BAPAS_KUNCI_MODEL": secrets.token_hex(32),
               "BAPAS_CONFIG": str(Path(tmp) / "tidak-ada.toml"), "BAPAS_AKSES": str(Path(tmp) / "akses.sqlite")}
        results = {}
        for name in ("pertama", "kedua"):
            done = subprocess.run([sys.executable, __file__, "--db", str(args.db), "--horizon", str(args.horizon),
                                   "--role", name], env=env, capture_output=True, text=True, cwd=ROOT)
            if done.returncode:
                print(f"proses {name} gagal (kode {done.returncode}):\n{done.stderr[-2000:]}", file=sys.stderr)
                return 1
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
            print(name, results[name], flush=True)
    first, second = results["pertama"], results["kedua"]
    entries = [{"name": "risk.shared_fit.first_server", "value": first["seconds"], "unit": "s",
                "note": f"fitted {first['fitted_here']}×, file {first['file_bytes']}, RSS {first['peak_rss_gb']} GB"},
               {"name": "risk.shared_fit.second_server", "value": second["seconds"], "unit": "s",
                "peer": first["seconds"], "ratio": round(second["seconds"] / first["seconds"], 4),
                "note": f"fitted {second['fitted_here']}×, RSS {second['peak_rss_gb']} GB"}]
    if args.json:
        args.json.write_text(json.dumps(entries, indent=2), encoding="utf-8")
    return 0 if second["fitted_here"] == 0 and first["fitted_here"] == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
