# Single-node Consul agent for a development or staging deployment.
datacenter = "chuanyu"
data_dir   = "/consul/data"
server     = true
bootstrap_expect = 1
client_addr = "0.0.0.0"
ui_config {
  enabled = true
}
