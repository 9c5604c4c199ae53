"""The issue's "done when": in a fresh virtualenv, `pip install ./python`, then five lines
freeze a pandas DataFrame, set an alias, and load its train split by alias into polars and
into a Hugging Face Dataset whose row counts match the manifest."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

from conftest import ADMIN, ROOT, Server

FIVE_LINES = """\
import pandas as pd, splitvault
m = splitvault.Client().freeze(pd.DataFrame({"x": range(200), "y": ["ab"] * 200}), strategy="random", seed=1)
splitvault.Client().set_alias("five-lines", m.id, reason="done when")
train = splitvault.load("five-lines", "train")
print(m.splits["train"].rows, splitvault.to_polars(train).height, splitvault.to_hf(train).num_rows)
"""


def test_five_lines_in_a_fresh_virtualenv_freeze_alias_and_load_into_polars_and_hugging_face(
    server: Server, tmp_path: Path
) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, str(ROOT / "python")], check=True)
    # The script's own libraries (pandas, polars, datasets) are borrowed from the test venv
    # through a .pth file added after the install, so `pip install ./python` above resolved
    # against an empty environment; installing datasets afresh would add a minute to CI.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    borrowed = next(p for p in sys.path if p.endswith("site-packages") and p.startswith(sys.prefix))
    Path(site, "zz-borrowed-test-libraries.pth").write_text(borrowed + "\n")
    script = tmp_path / "five_lines.py"
    script.write_text(FIVE_LINES)
    assert len(FIVE_LINES.strip().splitlines()) == 5
    env = {
        **os.environ,
        "SPLITVAULT_URL": server.url,
        "SPLITVAULT_TOKEN": ADMIN,
        "SPLITVAULT_CACHE": str(tmp_path / "cache"),
    }
    out = subprocess.run(
        [str(python), str(script)], env=env, cwd=tmp_path, check=True, capture_output=True, text=True
    )
    manifest_rows, polars_rows, hf_rows = (int(n) for n in out.stdout.split())
    assert manifest_rows == polars_rows == hf_rows > 0
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import splitvault, pyarrow, urllib3; "
            "print(splitvault.__file__, pyarrow.__file__, urllib3.__file__)",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert all(path.startswith(str(env_dir)) for path in where)
