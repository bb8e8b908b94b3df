import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // The server reads captures and runs collectors; keep the kube client out of the bundler.
  serverExternalPackages: ['@kubernetes/client-node', 'ws'],
  poweredByHeader: false,
  reactStrictMode: true,
}

export default nextConfig
