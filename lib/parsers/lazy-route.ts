/**
 * The route record of parseIpRoute, parseRouteN and parseProcNetRoute: a table of 5,000 routes is
 * read in a few times the cost of splitting it into lines by keeping each route's line and reading
 * its fields on first access of any of them (prototype getters; the values are those the whole
 * reading gives, cached). The parser decides up front, cheaply, that a line is a route; a line that
 * passes that check and turns out unreadable only when read gives a route with destination '' (no
 * prefix matches it) — it cannot become a diagnostic any more. Lines under a route (`nexthop …`,
 * `cache …`) are read up front into nexthops and cacheMtu.
 */
import type { RouteRecord } from '@/lib/model/records'
import { setOwn, withoutUndefined } from './scan'

/** Reads one route line (with what the parser knows of its table, e.g. the columns) into a record, or undefined. */
export type ReadRoute<C> = (line: string, context: C) => RouteRecord | undefined

type Hop = NonNullable<RouteRecord['nexthops']>[number]

const UNREADABLE: RouteRecord = { line: 0, destination: '', table: 'main' }

export class LazyRoute<C = unknown> implements RouteRecord {
  declare line: number
  declare nexthops: Hop[] | undefined
  declare cacheMtu: number | undefined
  #text: string
  #read: ReadRoute<C>
  #context: C
  #fields: RouteRecord | undefined

  constructor(line: number, text: string, read: ReadRoute<C>, context: C, fields?: RouteRecord) {
    this.line = line
    this.nexthops = undefined
    this.cacheMtu = undefined
    this.#text = text
    this.#read = read
    this.#context = context
    this.#fields = fields
  }

  #f(): RouteRecord {
    return (this.#fields ??= this.#read(this.#text, this.#context) ?? UNREADABLE)
  }

  get destination(): string { return this.#f().destination }
  set destination(v: string) { setOwn(this, 'destination', v) }
  get gateway(): string | undefined { return this.#f().gateway }
  set gateway(v: string | undefined) { setOwn(this, 'gateway', v) }
  get device(): string | undefined { return this.#f().device }
  set device(v: string | undefined) { setOwn(this, 'device', v) }
  get table(): string { return this.#f().table }
  set table(v: string) { setOwn(this, 'table', v) }
  get metric(): number | undefined { return this.#f().metric }
  set metric(v: number | undefined) { setOwn(this, 'metric', v) }
  get flags(): string | undefined { return this.#f().flags }
  set flags(v: string | undefined) { setOwn(this, 'flags', v) }
  get type(): string | undefined { return this.#f().type }
  set type(v: string | undefined) { setOwn(this, 'type', v) }
  get proto(): string | undefined { return this.#f().proto }
  set proto(v: string | undefined) { setOwn(this, 'proto', v) }
  get scope(): string | undefined { return this.#f().scope }
  set scope(v: string | undefined) { setOwn(this, 'scope', v) }
  get src(): string | undefined { return this.#f().src }
  set src(v: string | undefined) { setOwn(this, 'src', v) }
  get mtu(): number | undefined { return this.#f().mtu }
  set mtu(v: number | undefined) { setOwn(this, 'mtu', v) }
  get onlink(): boolean | undefined { return this.#f().onlink }
  set onlink(v: boolean | undefined) { setOwn(this, 'onlink', v) }

  /** Every field, the lazy ones included, undefined ones left out (JSON.stringify, logs, test comparisons). */
  toJSON(): RouteRecord {
    return withoutUndefined({
      line: this.line, destination: this.destination, gateway: this.gateway, device: this.device, table: this.table,
      metric: this.metric, flags: this.flags, type: this.type, proto: this.proto, scope: this.scope, src: this.src,
      mtu: this.mtu, onlink: this.onlink, nexthops: this.nexthops, cacheMtu: this.cacheMtu,
    })
  }
}
