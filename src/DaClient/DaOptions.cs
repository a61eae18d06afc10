using System.ComponentModel.DataAnnotations;
using DaClient.Disperser;
using DaClient.Local;
using DaClient.Proxy;

namespace DaClient;

/// <summary>The "Sequencer:Da" section of appsettings.json; defaults are repeated there.</summary>
public sealed class DaOptions
{
    public const string Section = "Sequencer:Da";

    public DaBackend Kind { get; set; } = DaBackend.Local;

    [Required]
    public LocalDaOptions Local { get; set; } = new();

    [Required]
    public ProxyDaOptions Proxy { get; set; } = new();

    [Required]
    public DisperserDaOptions Disperser { get; set; } = new();
}
