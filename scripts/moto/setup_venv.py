"""Create (once) the Python virtual environment that runs moto for the fleet tests.

Idempotent and safe to run concurrently: `node --test` starts test files in parallel, and each may
ask for the venv. A file lock serialises them; a marker holding the requirements' hash makes a
second run a no-op, and a changed pin reinstalls. Prints the venv's python path on stdout.

Usage: python3 scripts/moto/setup_venv.py [VENV_DIR]   (default: <repo>/.cache/moto-venv)
"""

import fcntl
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"


def venv_python(venv_dir: Path) -> Path:
    return venv_dir / "bin" / "python"


def ensure_venv(venv_dir: Path) -> Path:
    venv_dir.parent.mkdir(parents=True, exist_ok=True)
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    marker = venv_dir / ".requirements-sha256"
    with open(f"{venv_dir}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists() and marker.read_text().strip() == wanted and venv_python(venv_dir).exists():
            return venv_python(venv_dir)
        print(f"installing moto into {venv_dir} (first run only)", file=sys.stderr)
        try:
            venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
        except (subprocess.CalledProcessError, OSError) as error:
            # Debian's own python3 ships venv without ensurepip.
            raise SystemExit(
                f"cannot create a virtual environment with pip ({error}); on Debian: apt-get install python3-venv"
            ) from error
        subprocess.run(
            [str(venv_python(venv_dir)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", str(REQUIREMENTS)],
            check=True,
            stdout=sys.stderr,
        )
        marker.write_text(wanted)
        return venv_python(venv_dir)


if __name__ == "__main__":
    default_dir = HERE.parent.parent / ".cache" / "moto-venv"
    target = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else default_dir
    print(ensure_venv(target))
