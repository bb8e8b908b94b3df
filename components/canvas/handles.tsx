'use client'
import { Handle, Position } from '@xyflow/react'

/** Invisible connection points matching walkToFlow's edge handles (`out-*` leave, `in-*` arrive). */
export function Handles() {
  return (
    <>
      <Handle id="in-left" type="target" position={Position.Left} isConnectable={false} />
      <Handle id="in-top" type="target" position={Position.Top} isConnectable={false} />
      <Handle id="in-bottom" type="target" position={Position.Bottom} isConnectable={false} />
      <Handle id="out-right" type="source" position={Position.Right} isConnectable={false} />
      <Handle id="out-top" type="source" position={Position.Top} isConnectable={false} />
      <Handle id="out-bottom" type="source" position={Position.Bottom} isConnectable={false} />
    </>
  )
}
