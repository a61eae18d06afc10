namespace DaClient.Disperser;

/// <summary>What <see cref="ReservationPacer"/> decided for one blob: its lane and how long it waits first.</summary>
public readonly record struct PacingDecision(PaymentLane Lane, TimeSpan Delay, long ChargedBytes);
