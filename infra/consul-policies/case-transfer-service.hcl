# case-transfer-service: registers itself only; it calls no other service.
# Write only for its own name: no token can register a service under another's name.
service "case-transfer-service" {
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
