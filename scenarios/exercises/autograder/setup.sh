#!/bin/sh
# setup.sh - Gradescope runs this once, as root, when it builds the
# autograder's image, from /autograder/source (the zip that make_zip.sh
# writes: the ipcsim sources in ipcsim/, the exercise in exercise/).
# It installs what building ipcsim needs and builds it.  Works on
# Gradescope's Ubuntu images and on Debian 12 (tests/grade_autograder.sh).
set -eu
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq build-essential pkg-config uthash-dev libjson-c-dev libedit-dev \
	python3 >/dev/null
make -C ipcsim -j"$(nproc)" all >/dev/null
ipcsim/build/ipcsim --version
