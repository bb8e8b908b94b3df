// SPDX-License-Identifier: GPL-2.0
/*
 * packetwalk lab: stand-ins for Cilium's bpf_overlay.o programs on the tunnel device.
 * `from-overlay` (tc ingress: a packet the kernel just decapsulated) delivers a packet for the
 * node's pod straight to that pod's veth, as Cilium's local delivery does (MACs rewritten to
 * lxc → pod, redirect to the lxc device, whose to-container then runs); anything else passes to
 * the stack. `to-overlay` (tc egress) counts and passes.
 */
#include "lab_common.h"

PW_COUNTER(overlay_packets);

SEC("from-overlay")
int from_overlay(struct __sk_buff *skb)
{
	struct iphdr *ip;

	pw_count(&overlay_packets);
	ip = pw_ipv4(skb);
	if (!ip || bpf_ntohl(ip->daddr) != PW_LOCAL_POD_IP)
		return TC_ACT_OK;
	if (pw_store_mac(skb, 0, PW_LOCAL_POD_MAC) < 0 || pw_store_mac(skb, 6, PW_LOCAL_LXC_MAC) < 0)
		return TC_ACT_SHOT;
	return bpf_redirect(PW_LOCAL_LXC_IFINDEX, 0);
}

SEC("to-overlay")
int to_overlay(struct __sk_buff *skb)
{
	pw_count(&overlay_packets);
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
