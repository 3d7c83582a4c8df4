#!/usr/bin/env bash
# The Debian packages the tests need, installed only where missing (called by `make test`, so a fresh machine
# needs nothing else): PostgreSQL's server binaries (tests/pg_cluster.py initdb's a throwaway cluster as the postgres
# user) and headless Chromium with its driver (the hand-grading page is tested in a real browser with Selenium).
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "installing Debian packages for the tests: ${need[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need[@]}"
