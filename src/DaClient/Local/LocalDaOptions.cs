using System.ComponentModel.DataAnnotations;

namespace DaClient.Local;

/// <summary>"Sequencer:Da:Local".</summary>
public sealed class LocalDaOptions
{
    /// <summary>Directory of the store; a relative path is taken inside <c>Sequencer:DataDirectory</c>.</summary>
    [Required]
    public string Directory { get; set; } = "da";

    /// <summary>fsync each batch file and its directory before the commitment is returned.</summary>
    public bool Fsync { get; set; } = true;
}
