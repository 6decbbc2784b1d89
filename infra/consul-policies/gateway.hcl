# The gateway: registers itself, and looks up the three services it routes to.
# Write only for its own name: no token can register a service under another's name.
service "gateway" {
  policy = "write"
}
# Discovery reads the catalogue and the health of instances (query-passing), and the health indicator the agent.
service_prefix "" {
  policy = "read"
}
node_prefix "" {
  policy = "read"
}
agent_prefix "" {
  policy = "read"
}
