// The agent is a Linux program; so are its tests (PTYs, /proc, bubblewrap).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
