'use client'
import { Handle, Position } from '@xyflow/react'

/** Invisible connection points matching walkToFlow's edge handles (right/bottom out, left/top in). */
export function Handles() {
  return (
    <>
      <Handle id="left" type="target" position={Position.Left} isConnectable={false} />
      <Handle id="top" type="target" position={Position.Top} isConnectable={false} />
      <Handle id="right" type="source" position={Position.Right} isConnectable={false} />
      <Handle id="bottom" type="source" position={Position.Bottom} isConnectable={false} />
    </>
  )
}
