# shellcheck shell=bash
# deps.sh: sourced by packaging/quickstart.sh and tests/run.sh; `install_deps <list>...`
# installs the Debian packages of the package lists that are missing, waiting for another
# apt's locks.

read_list() {  # package list file -> names, comments and blanks dropped
  sed -e 's/#.*//' -e 's/[[:space:]]\+$//' -e 's/^[[:space:]]\+//' "$1" | grep -v '^$'
}

# A package counts as present when dpkg has it, or when the command it provides is
# already on PATH from elsewhere (e.g. NodeSource's nodejs bundles npm and conflicts
# with Debian's npm package).
satisfied() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' && return 0
  local cmd
  case "$1" in
    nodejs) cmd=node ;;
    npm | python3 | chromium | cmake | git | pkg-config | redis-server) cmd=$1 ;;
    *) return 1 ;;
  esac
  command -v "$cmd" >/dev/null 2>&1
}

# Another apt (unattended-upgrades, a first-boot agent, a second run of this script)
# may hold the package manager's locks: wait for them rather than fail.
# DPkg::Lock::Timeout covers dpkg's lock; apt-get update's lists lock is not covered on
# every apt version, so update is retried while another process holds that lock.
APT_LOCK_WAIT=900
apt_update() {  # apt_update <sudo...>
  local log rc deadline=$(( $(date +%s) + APT_LOCK_WAIT ))
  log="$(mktemp)"
  while :; do
    "$@" apt-get -q -o DPkg::Lock::Timeout="$APT_LOCK_WAIT" update 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    if [ "$rc" -eq 0 ]; then
      rm -f "$log"; return 0
    fi
    if ! grep -qiE 'could not get lock|unable to lock' "$log" || [ "$(date +%s)" -ge "$deadline" ]; then
      rm -f "$log"; return 1
    fi
    echo "apt-get update: another process holds the package lists lock; waiting"
    sleep 5
  done
}

install_deps() {  # install_deps <package list>...: the lists are where packages are named
  local -a pkgs=() missing=()
  local list p
  for list in "$@"; do
    if [ ! -f "$list" ]; then
      echo "missing package list $list" >&2
      return 1
    fi
    mapfile -t -O "${#pkgs[@]}" pkgs < <(read_list "$list")
  done
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "not a Debian system: make sure these are installed: ${pkgs[*]}"
    return 0
  fi
  for p in "${pkgs[@]}"; do
    if ! satisfied "$p"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "all ${#pkgs[@]} Debian packages are installed"
    return 0
  fi
  echo "missing Debian packages: ${missing[*]}"
  local -a sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      echo "not root and no sudo: install them by hand, or run with --no-deps" >&2
      return 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt_update "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive || return 1
  local -a apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q
                 -o DPkg::Lock::Timeout="$APT_LOCK_WAIT"
                 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  "${apt[@]}" "${missing[@]}" && return 0
  # One unavailable or conflicting package must not keep the others out.
  echo "installing all at once failed; trying one by one" >&2
  local -a failed=()
  for p in "${missing[@]}"; do
    "${apt[@]}" "$p" || failed+=("$p")
  done
  if [ ${#failed[@]} -ne 0 ]; then
    echo "could not install: ${failed[*]}" >&2
    return 1
  fi
}
