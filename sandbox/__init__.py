"""Stand-ins for the network: a customs gateway server and a virtual e-port card."""
