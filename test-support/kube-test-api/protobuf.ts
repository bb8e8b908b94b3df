/**
 * Just enough of the Kubernetes protobuf encoding to read the one object kubectl sends as protobuf
 * to the double: a SelfSubjectAccessReview (`kubectl auth can-i`; kubectl's clientsets send
 * built-in types as application/vnd.kubernetes.protobuf). The body is the 4-byte magic `k8s\0`
 * and a runtime.Unknown { typeMeta = 1, raw = 2 } whose raw bytes are the object
 * (k8s.io/api/authorization/v1/generated.proto: SelfSubjectAccessReview { metadata = 1, spec = 2 },
 * spec { resourceAttributes = 1, nonResourceAttributes = 2 }, ResourceAttributes { namespace = 1,
 * verb = 2, group = 3, version = 4, resource = 5, subresource = 6, name = 7 }).
 */

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00])

/** Fields of one message: number → length-delimited payloads (varints are skipped). */
function fields(buf: Buffer): Map<number, Buffer[]> {
  const out = new Map<number, Buffer[]>()
  let i = 0
  const varint = (): number => {
    let v = 0
    let shift = 0
    for (;;) {
      if (i >= buf.length) throw new Error('truncated varint')
      const b = buf[i++] ?? 0
      v += (b & 0x7f) * 2 ** shift
      if ((b & 0x80) === 0) return v
      shift += 7
      if (shift > 49) throw new Error('varint too long')
    }
  }
  while (i < buf.length) {
    const key = varint()
    const field = Math.floor(key / 8)
    const wire = key & 7
    if (wire === 0) varint()
    else if (wire === 2) {
      const len = varint()
      if (i + len > buf.length) throw new Error('truncated field')
      const list = out.get(field) ?? []
      list.push(buf.subarray(i, i + len))
      out.set(field, list)
      i += len
    } else if (wire === 1) i += 8
    else if (wire === 5) i += 4
    else throw new Error(`unsupported wire type ${wire}`)
  }
  return out
}

export interface AccessReviewSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string }
  nonResourceAttributes?: Record<string, string>
}

/** The spec of a protobuf-encoded SelfSubjectAccessReview; throws on anything else. */
export function decodeAccessReview(body: Buffer): { spec: AccessReviewSpec } {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('not a Kubernetes protobuf object (no k8s magic)')
  const unknown = fields(body.subarray(4))
  const typeMeta = fields(unknown.get(1)?.[0] ?? Buffer.alloc(0))
  const kind = typeMeta.get(2)?.[0]?.toString('utf8')
  if (kind !== 'SelfSubjectAccessReview') throw new Error(`expected a SelfSubjectAccessReview, got ${kind ?? 'nothing'}`)
  const obj = fields(unknown.get(2)?.[0] ?? Buffer.alloc(0))
  const spec = fields(obj.get(2)?.[0] ?? Buffer.alloc(0))
  const out: AccessReviewSpec = {}
  const ra = spec.get(1)?.[0]
  if (ra) {
    const f = fields(ra)
    const names = ['', 'namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'] as const
    const attrs: NonNullable<AccessReviewSpec['resourceAttributes']> = {}
    for (let n = 1; n <= 7; n++) {
      const v = f.get(n)?.[0]
      const key = names[n]
      if (v && key) attrs[key] = v.toString('utf8')
    }
    out.resourceAttributes = attrs
  }
  if (spec.get(2)?.[0]) out.nonResourceAttributes = {}
  return { spec: out }
}
