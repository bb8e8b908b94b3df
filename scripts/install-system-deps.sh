#!/usr/bin/env bash
# Installs the Debian packages the tests need (as root): Chromium for Playwright, and the real
# kernel tools the lab drives (clang + libbpf headers to build bpf_lxc.o, iptables, conntrack,
# net-tools for route/arp/ifconfig, bpftool). Skips what is already there, so a warm machine pays nothing.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have chromium || need+=(chromium fonts-dejavu-core)
have clang || need+=(clang llvm)
[ -e /usr/include/bpf/bpf_helpers.h ] || need+=(libbpf-dev)
[ -e /usr/include/asm/types.h ] || need+=(linux-libc-dev gcc-multilib)
[ -e /usr/include/stdio.h ] || need+=(libc6-dev)   # the lab builds its TCP probe and echo server (server/lab/tools)
have iptables || need+=(iptables)
have conntrack || need+=(conntrack)
have ifconfig || need+=(net-tools)
have bpftool || need+=(bpftool)
have ip || need+=(iproute2)
have ping || need+=(iputils-ping)   # the lab's probe pings from the pod
have sysctl || need+=(procps)      # the lab sets ip_forward/proxy_arp inside its node namespace
have openssl || need+=(openssl)    # the Kubernetes API test double makes its CA and serving certificate
if [ ${#need[@]} -eq 0 ]; then echo "system deps: all present"; exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "system deps missing (${need[*]}); run as root to install them" >&2
  exit 0
fi
echo "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
