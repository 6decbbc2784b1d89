# The Consul agent's own token: registers its node and keeps the services' health checks in sync.
node_prefix "" {
  policy = "write"
}
service_prefix "" {
  policy = "read"
}
