// Real containers and network namespaces: these tests only make sense on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
