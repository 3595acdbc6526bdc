# Sourced by scripts/*: make .venv (if missing) and install the project into it.
# Usage: WENMING_VENV_EXTRA=test . scripts/_venv.sh   (the extra is optional)
# It reads no positional argument (a sourced file sees its caller's "$@", the user's own
# arguments) and leaves the caller's working directory alone, so that relative paths on
# the command line (cron: cd /srv/创建 && …/scripts/monthly 任务分工.xlsx) mean what they say.
# Sets ROOT (the project folder) and VPY (the venv's python).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON_BIN="${PYTHON:-python3}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  echo "==> 创建虚拟环境 .venv" >&2
  "$PYTHON_BIN" -m venv "$ROOT/.venv"
fi
VPY="$ROOT/.venv/bin/python"
EXTRA="${WENMING_VENV_EXTRA:-}"
SPEC="."
[ -n "$EXTRA" ] && SPEC=".[$EXTRA]"
# Reinstall only when the project's metadata changed since the last install (an install
# with an extra, such as scripts/test's, also serves the plain one).
STAMP="$ROOT/.venv/.wenming-installed-$EXTRA"
_fresh() { [ -f "$1" ] && [ ! "$ROOT/setup.cfg" -nt "$1" ] && [ ! "$ROOT/pyproject.toml" -nt "$1" ]; }
_ok=0
_fresh "$STAMP" && _ok=1
if [ -z "$EXTRA" ]; then
  for _s in "$ROOT"/.venv/.wenming-installed-*; do _fresh "$_s" && _ok=1; done
fi
if [ "$_ok" = 0 ]; then
  echo "==> 安装 wenming_xl 及依赖（$SPEC）" >&2
  (cd "$ROOT" && "$VPY" -m pip install --quiet --disable-pip-version-check -e "$SPEC")
  touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
