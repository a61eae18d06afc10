using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace TailTrace;

/// <summary>
/// Which types survive gen0 collections, by sampling: every allocation tick (one per ~100 KB allocated) names an
/// object's type and address; a gen0's surviving-object ranges (keyword GCHeapSurvivalAndMovement) say which of the
/// addresses sampled since the collection before were kept. A pause's length follows what survives, so this names
/// the types to go after. Counts are of samples, so a type's share is what matters, not its count.
/// </summary>
internal sealed class SurvivorSampler
{
    private readonly List<(ulong Address, string Type)> _samples = [];
    private readonly List<(ulong Start, ulong End)> _ranges = [];
    private readonly Dictionary<string, (int Sampled, int Survived)> _byType = [];
    private int _generation = -1;
    private int _gen0s;
    private long _rangeEvents;
    private long _rangeCount;
    private readonly Dictionary<int, long> _ids = [];

    public void OnEvent(TraceEvent data)
    {
        _ids[(int)data.ID] = _ids.GetValueOrDefault((int)data.ID) + 1;
        switch ((int)data.ID)
        {
            case 10 when data is GCAllocationTickTraceData tick:
                _samples.Add((tick.Address, tick.TypeName ?? "?"));
                break;
            case 1:
                _generation = Convert.ToInt32(data.PayloadByName("Depth") ?? -1, CultureInfo.InvariantCulture);
                _ranges.Clear();
                break;
            case 21 when data is GCBulkSurvivingObjectRangesTraceData bulk:
                _rangeEvents++;
                _rangeCount += bulk.Count;
                for (var i = 0; i < bulk.Count; i++)
                {
                    var range = bulk.Values(i);
                    _ranges.Add((range.RangeBase, range.RangeBase + range.RangeLength));
                }

                break;
            case 22 when data is GCBulkMovedObjectRangesTraceData moved: // a compacting collection reports what it kept as moves
                _rangeEvents++;
                _rangeCount += moved.Count;
                for (var i = 0; i < moved.Count; i++)
                {
                    var range = moved.Values(i);
                    _ranges.Add((range.OldRangeBase, range.OldRangeBase + range.RangeLength));
                }

                break;
            case 3: // RestartEEEnd: the collection is over; its ranges are all in
                if (_generation == 0)
                {
                    Tally();
                }

                // Samples from before a gen1 or gen2 were either kept (and moved) or freed: start again either way.
                _samples.Clear();
                _generation = -1;
                break;
        }
    }

    private void Tally()
    {
        _gen0s++;
        _ranges.Sort();
        foreach (var (address, type) in _samples)
        {
            var kept = Contains(address);
            var (sampled, survived) = _byType.GetValueOrDefault(type);
            _byType[type] = (sampled + 1, survived + (kept ? 1 : 0));
        }
    }

    private bool Contains(ulong address)
    {
        int lo = 0, hi = _ranges.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (address < _ranges[mid].Start)
            {
                hi = mid - 1;
            }
            else if (address >= _ranges[mid].End)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The types most often kept by a gen0, with how many of their samples were kept.</summary>
    public IEnumerable<string> Top(int count)
    {
        var total = _byType.Values.Sum(v => v.Survived);
        yield return string.Create(CultureInfo.InvariantCulture,
            $"{_gen0s} gen0s checked; {total} of {_byType.Values.Sum(v => v.Sampled)} allocation samples were kept by the gen0 after them; {_rangeEvents} range events, {_rangeCount} ranges; ids {string.Join(",", _ids.OrderBy(i => i.Key).Select(i => i.Key + ":" + i.Value))}");
        foreach (var (type, (sampled, survived)) in _byType.Where(t => t.Value.Survived > 0).OrderByDescending(t => t.Value.Survived).Take(count))
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{survived} of {sampled} samples kept: {type}");
        }
    }
}
