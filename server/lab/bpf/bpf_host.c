// SPDX-License-Identifier: GPL-2.0
/*
 * packetwalk lab: stand-ins for Cilium's bpf_host.o programs on a node's native device:
 * `from-netdev` (tc ingress) and `to-netdev` (tc egress). Both count and pass, which is what
 * Cilium's do for the lab's flows (no host firewall, no BPF NodePort, iptables masquerade).
 */
#include "lab_common.h"

PW_COUNTER(host_packets);

SEC("from-netdev")
int from_netdev(struct __sk_buff *skb)
{
	pw_count(&host_packets);
	return TC_ACT_OK;
}

SEC("to-netdev")
int to_netdev(struct __sk_buff *skb)
{
	pw_count(&host_packets);
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
