namespace Sequential.Layers;

/// <summary>Which libtorch fused recurrence a layer's configuration maps to.</summary>
internal enum RecurrentKind
{
    /// <summary>SimpleRNN with tanh (libtorch's RNN, tanh).</summary>
    SimpleTanh,

    /// <summary>SimpleRNN with relu (libtorch's RNN, relu).</summary>
    SimpleRelu,

    /// <summary>LSTM with tanh and sigmoid.</summary>
    Lstm,

    /// <summary>GRU with tanh, sigmoid and resetAfter.</summary>
    Gru,
}
