namespace Sequential.Data;

/// <summary>
/// numpy's legacy generator, <c>np.random.RandomState(seed)</c>, as far as Keras's dataset loaders use it:
/// MT19937 seeded with <c>init_genrand(seed)</c>, and <c>shuffle</c> of a 1-D array (a Fisher-Yates from the end,
/// each index drawn by numpy's <c>random_interval</c>: the next 32-bit output masked to the smallest all-ones mask
/// covering the bound, redrawn while above it).
/// </summary>
/// <remarks>
/// Ported rather than replaced by <see cref="Random"/> because Keras shuffles IMDB, Reuters and the housing sets with
/// it: with the same seed the loaders return Keras's exact order, so a tutorial's "first review" or first test house
/// is the same sample. It is about 60 lines and is checked against numpy 1.24's outputs in the tests. Not for anything
/// needing good randomness: MT19937 is what numpy's legacy API is, nothing more.
/// </remarks>
internal sealed class LegacyRandomState
{
    private const int N = 624;
    private const int M = 397;
    private const uint MatrixA = 0x9908B0DFu;
    private const uint UpperMask = 0x80000000u;
    private const uint LowerMask = 0x7FFFFFFFu;

    private readonly uint[] _key = new uint[N];
    private int _position;

    /// <summary>numpy's <c>RandomState(seed)</c> for an integer seed (numpy's <c>mt19937_seed</c>).</summary>
    /// <param name="seed">0 to 2^32 - 1, as numpy accepts.</param>
    public LegacyRandomState(uint seed)
    {
        _key[0] = seed;
        for (int i = 1; i < N; i++)
            _key[i] = unchecked(1812433253u * (_key[i - 1] ^ (_key[i - 1] >> 30)) + (uint)i);
        _position = N;
    }

    /// <summary>Keras's <c>rng = np.random.RandomState(seed)</c> for a loader's <c>seed</c> argument, with numpy's check.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative.</exception>
    public static LegacyRandomState FromSeed(int seed)
        => seed >= 0
            ? new LegacyRandomState((uint)seed)
            : throw new ArgumentOutOfRangeException(nameof(seed), seed, "seed must be between 0 and 2**32 - 1, as numpy's RandomState requires.");

    /// <summary>The next 32-bit output (numpy's <c>mt19937_next32</c>, <c>randint(2**32)</c>'s source).</summary>
    public uint NextUInt32()
    {
        if (_position >= N) Generate();
        uint y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A value in [0, <paramref name="max"/>] inclusive, as numpy's <c>random_interval</c> (bound below 2^32).</summary>
    public uint Interval(uint max)
    {
        if (max == 0) return 0;
        uint mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        uint value;
        while ((value = NextUInt32() & mask) > max) { }
        return value;
    }

    /// <summary>
    /// Shuffles in place as <c>rng.shuffle(array)</c> does for a 1-D numpy array: for <c>i</c> from the last index down
    /// to 1, swap element <c>i</c> with element <c>Interval(i)</c>.
    /// </summary>
    public void Shuffle<T>(T[] values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)Interval((uint)i);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>Keras's <c>indices = np.arange(n); rng.shuffle(indices)</c>.</summary>
    public int[] ShuffledIndices(int count)
    {
        var indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = i;
        Shuffle(indices);
        return indices;
    }

    private void Generate()
    {
        int k;
        uint y;
        for (k = 0; k < N - M; k++)
        {
            y = (_key[k] & UpperMask) | (_key[k + 1] & LowerMask);
            _key[k] = _key[k + M] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : MatrixA);
        }
        for (; k < N - 1; k++)
        {
            y = (_key[k] & UpperMask) | (_key[k + 1] & LowerMask);
            _key[k] = _key[k + (M - N)] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : MatrixA);
        }
        y = (_key[N - 1] & UpperMask) | (_key[0] & LowerMask);
        _key[N - 1] = _key[M - 1] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : MatrixA);
        _position = 0;
    }
}
