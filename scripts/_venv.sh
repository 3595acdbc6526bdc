# Sourced by scripts/*: make .venv (if missing) and install the project into it.
# Usage: . scripts/_venv.sh [extra]   e.g. ". scripts/_venv.sh test"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON_BIN="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> 创建虚拟环境 .venv" >&2
  "$PYTHON_BIN" -m venv .venv
fi
VPY="$ROOT/.venv/bin/python"
EXTRA="${1:-}"
SPEC="."
[ -n "$EXTRA" ] && SPEC=".[$EXTRA]"
# Reinstall only when the project's metadata changed since the last install.
STAMP=".venv/.wenming-installed-$EXTRA"
if [ ! -f "$STAMP" ] || [ setup.cfg -nt "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "==> 安装 wenming_xl 及依赖（$SPEC）" >&2
  "$VPY" -m pip install --quiet --disable-pip-version-check -e "$SPEC"
  touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
