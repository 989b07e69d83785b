# Sourced by deploy/*.sh: installs the Debian packages a command needs when they are missing.
# Uses apt-get as root, or through sudo when there is one.

# ensure_tools "tool:package" ...: installs each package whose tool is not on PATH. A tool with a slash is a file
# the package installs (for packages without a program, e.g. /usr/include/zlib.h:zlib1g-dev).
ensure_tools() {
  local missing=() pair tool package
  for pair in "$@"; do
    tool=${pair%%:*}
    package=${pair#*:}
    if [[ $tool == */* ]]; then
      [ -e "$tool" ] || missing+=("$package")
    else
      command -v "$tool" >/dev/null 2>&1 || missing+=("$package")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local run=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then run=(sudo); else
      echo "missing packages: ${missing[*]} (install them as root)" >&2
      return 1
    fi
  fi
  echo "installing: ${missing[*]}" >&2
  "${run[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${run[@]}" apt-get install -y -qq "${missing[@]}"
}
