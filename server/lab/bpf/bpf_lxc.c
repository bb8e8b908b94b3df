// SPDX-License-Identifier: GPL-2.0
/*
 * packetwalk lab: stand-ins for Cilium's bpf_lxc.o programs on the pod's host-side veth.
 * `from-container` (tc ingress: every packet leaving the pod) hands the packet to the node's
 * stack unchanged, as Cilium's program does in native routing with legacy host routing; in a
 * tunnel cluster (built with -DPW_TUNNEL_IFINDEX=…) a packet for the other node's pod CIDR is
 * encapsulated instead, like Cilium's encap_and_redirect: tunnel key = the other node's address,
 * inner MACs = the two tunnel devices', redirected to cilium_vxlan / cilium_geneve.
 * `to-container` (tc egress: every packet entering the pod) only counts.
 */
#include "lab_common.h"

PW_COUNTER(lxc_packets);

SEC("from-container")
int from_container(struct __sk_buff *skb)
{
	pw_count(&lxc_packets);
#ifdef PW_TUNNEL_IFINDEX
	struct iphdr *ip = pw_ipv4(skb);
	struct bpf_tunnel_key key = {};

	if (!ip || (bpf_ntohl(ip->daddr) & PW_REMOTE_MASK) != PW_REMOTE_NET)
		return TC_ACT_OK;
	key.remote_ipv4 = PW_REMOTE_NODE_IP;
	key.tunnel_id = 2; /* Cilium puts the source identity here; 2 is "world" in Cilium's numbering, any fixed value does */
	key.tunnel_ttl = 64;
	if (bpf_skb_set_tunnel_key(skb, &key, sizeof(key), 0) < 0)
		return TC_ACT_SHOT;
	if (pw_store_mac(skb, 0, PW_REMOTE_TUNNEL_MAC) < 0 || pw_store_mac(skb, 6, PW_LOCAL_TUNNEL_MAC) < 0)
		return TC_ACT_SHOT;
	return bpf_redirect(PW_TUNNEL_IFINDEX, 0);
#else
	return TC_ACT_OK;
#endif
}

SEC("to-container")
int to_container(struct __sk_buff *skb)
{
	pw_count(&lxc_packets);
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
