/* SPDX-License-Identifier: GPL-2.0 */
/*
 * packetwalk lab: what the lab's stand-ins for Cilium's programs share. Each program counts the
 * packets it sees in an array map (read back with `bpftool map dump id N` as evidence that the
 * packet went through) and, in a tunnel cluster, does the one thing Cilium's own program does
 * for a pod-to-pod packet: encapsulate it towards the other node (bpf_lxc) or hand a
 * decapsulated packet to the local pod (bpf_overlay). The addresses come as -D flags from the
 * lab (server/lab/bpf.ts), one build per node.
 */
#ifndef PW_LAB_COMMON_H
#define PW_LAB_COMMON_H

#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define PW_COUNTER(map_name)                                   \
	struct {                                               \
		__uint(type, BPF_MAP_TYPE_ARRAY);              \
		__uint(max_entries, 1);                        \
		__type(key, __u32);                            \
		__type(value, __u64);                          \
	} map_name SEC(".maps")

static __always_inline void pw_count(void *map)
{
	__u32 key = 0;
	__u64 *count = bpf_map_lookup_elem(map, &key);

	if (count)
		__sync_fetch_and_add(count, 1);
}

/* The IPv4 header of an Ethernet frame, or NULL. */
static __always_inline struct iphdr *pw_ipv4(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	return ip;
}

/* Writes a MAC given as a 48-bit number (0x020001110006) at offset off of the frame. */
static __always_inline int pw_store_mac(struct __sk_buff *skb, __u32 off, __u64 mac)
{
	__u8 b[6] = {
		(mac >> 40) & 0xff, (mac >> 32) & 0xff, (mac >> 24) & 0xff,
		(mac >> 16) & 0xff, (mac >> 8) & 0xff, mac & 0xff,
	};

	return bpf_skb_store_bytes(skb, off, b, 6, 0);
}

#endif
