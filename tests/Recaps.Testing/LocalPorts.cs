using System.Net;
using System.Net.Sockets;

namespace Recaps.Testing;

/// <summary>Ports for servers a test starts itself on the loopback interface.</summary>
public static class LocalPorts
{
    /// <summary>A port nothing listens on now (the system's pick); free until someone else picks it.</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>An http address on loopback at a <see cref="Free"/> port.</summary>
    public static string FreeUrl() => $"http://127.0.0.1:{Free()}";
}
