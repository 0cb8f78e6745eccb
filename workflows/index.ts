// Entry point bundled into the Temporal workflow sandbox: export every workflow type here.
export {};
