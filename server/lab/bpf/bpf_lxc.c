// SPDX-License-Identifier: GPL-2.0
/*
 * packetwalk lab: a stand-in for Cilium's `from-container` program. It sits where Cilium's
 * bpf_lxc.o sits (tc ingress of the pod's host-side veth, direct-action) and hands every packet
 * to the node's stack unchanged, which is what Cilium's program does for a pod → world flow in
 * native routing with legacy host routing. It counts what it sees so `bpftool map dump` has
 * something honest to show.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} pw_packets SEC(".maps");

SEC("from-container")
int from_container(struct __sk_buff *skb)
{
	__u32 key = 0;
	__u64 *count = bpf_map_lookup_elem(&pw_packets, &key);

	if (count)
		__sync_fetch_and_add(count, 1);
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
