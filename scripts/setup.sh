# Sourced by serve.sh and test.sh: a virtual environment in .venv with requirements.txt installed.
# Reinstalls only when requirements.txt changed since the last install.
set -euo pipefail
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "Installing python3-venv (Debian's venv module)..."
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv .venv
    else
      echo "python3 -m venv failed: install Debian's python3-venv (sudo apt-get install python3-venv) and retry." >&2
      exit 1
    fi
  fi
fi
wanted="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ "$(cat .venv/.requirements.sha256 2>/dev/null)" != "$wanted" ]; then
  echo "Installing Python packages from requirements.txt..."
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  echo "$wanted" > .venv/.requirements.sha256
fi
