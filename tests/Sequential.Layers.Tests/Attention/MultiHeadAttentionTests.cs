using static TorchSharp.torch;

namespace Sequential.Layers.Tests.Attention;

/// <summary>Keras's <c>MultiHeadAttention</c>: multi_head_attention_test.py's shapes, counts, values and masking.</summary>
public class MultiHeadAttentionTests
{
    private static float[] Values(Tensor t) => t.detach().cpu().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();

    private static Tensor Random(int seed, params long[] shape) => randn(shape, generator: new Generator((ulong)seed));

    [Test]
    public void Basics_ShapesWeightsAndCounts_AsKeras()
    {
        // Keras test_basics: query (2, 8, 16), value (2, 4, 16), num_heads 2, key_dim 2 -> (2, 8, 16), 8 trainable weights.
        var layer = new MultiHeadAttention(numHeads: 2, keyDim: 2);
        var y = layer.Apply(Random(1, 2, 8, 16), Random(2, 2, 4, 16));
        Assert.That(y.shape, Is.EqualTo(new long[] { 2, 8, 16 }));
        Assert.That(layer.Weights, Has.Count.EqualTo(8));
        Assert.That(layer.CountParams(), Is.EqualTo(3 * (16 * 2 * 2 + 2 * 2) + 2 * 2 * 16 + 16));
        var shapes = layer.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.That(shapes.Keys, Is.EqualTo(new[]
        {
            "query.kernel", "query.bias", "key.kernel", "key.bias", "value.kernel", "value.bias",
            "attention_output.kernel", "attention_output.bias",
        }));
        Assert.That(shapes["query.kernel"], Is.EqualTo(new long[] { 16, 2, 2 }));
        Assert.That(shapes["value.bias"], Is.EqualTo(new long[] { 2, 2 }));
        Assert.That(shapes["attention_output.kernel"], Is.EqualTo(new long[] { 2, 2, 16 }));

        // value_dim 4, no bias, dropout 0.5: 4 weights.
        var second = new MultiHeadAttention(numHeads: 2, keyDim: 2, valueDim: 4, useBias: false, dropout: 0.5);
        Assert.That(second.Apply(Random(1, 2, 8, 16), Random(2, 2, 4, 16), training: true).shape, Is.EqualTo(new long[] { 2, 8, 16 }));
        Assert.That(second.Weights, Has.Count.EqualTo(4));
        Assert.That(second.CountParams(), Is.EqualTo(2 * 16 * 2 * 2 + 16 * 2 * 4 + 2 * 4 * 16));
    }

    [Test]
    public void Correctness_KerasValues()
    {
        // Keras test_correctness: identity projections, zero biases, query = key = I, value = arange / 100.
        const int heads = 8, dim = 8;
        var query = eye(dim).unsqueeze(0);
        var value = arange(dim * dim, dtype: ScalarType.Float32).reshape(1, dim, dim) / 100;
        var layer = new MultiHeadAttention(numHeads: heads, keyDim: dim);
        layer.Apply(query, value, query);
        using (no_grad())
        {
            var kernel = eye(dim).unsqueeze(1).repeat(1, heads, 1);
            foreach (var (name, weight) in layer.named_parameters())
                if (name.EndsWith("kernel")) weight.copy_(kernel);
                else weight.zero_();
        }
        var (output, scores) = layer.ApplyWithScores(query, value, key: query);
        var expected = new[] { 2.406f, 2.440f, 2.473f, 2.504f, 2.535f, 2.568f, 2.602f, 2.633f };
        Assert.That(output.shape, Is.EqualTo(new long[] { 1, dim, dim }));
        Assert.That(Values(output), Is.EqualTo(expected.SelectMany(v => Enumerable.Repeat(v, dim)).ToArray()).Within(1e-2), "Keras's float16 values");
        // In float32, exactly: weights p = e^s / (e^s + 7) on the own step, 1 / (e^s + 7) elsewhere, s = 1/sqrt(8); each head
        // averages the value rows, the output sums the 8 values of a row: 0.28 + 0.64 * (28 * off + (p - off) * t).
        double e = Math.Exp(1 / Math.Sqrt(dim)), own = e / (e + 7), off = 1 / (e + 7);
        var exact = Enumerable.Range(0, dim).Select(t => (float)(0.28 + 0.64 * (28 * off + (own - off) * t)));
        Assert.That(Values(output), Is.EqualTo(exact.SelectMany(v => Enumerable.Repeat(v, dim)).ToArray()).Within(2e-6));
        Assert.That(scores.shape, Is.EqualTo(new long[] { 1, heads, dim, dim }));
        var row = Values(scores[0, 3, 2]);
        Assert.That(row, Is.EqualTo(new[] { 0.1187f, 0.1187f, 0.1691f, 0.1187f, 0.1187f, 0.1187f, 0.1187f, 0.1187f }).Within(1e-4));
        // The fused kernel (no scores asked for) gives the same output.
        Assert.That(Values(layer.Apply(query, value, query)), Is.EqualTo(Values(output)).Within(1e-6));
    }

    [Test]
    public void FusedAndExplicitPaths_GiveTheSameNumbers_WithMasksAndCausal()
    {
        var layer = new MultiHeadAttention(numHeads: 3, keyDim: 4, valueDim: 5);
        var q = Random(3, 2, 6, 7);
        var v = Random(4, 2, 5, 7);
        var mask = rand(new long[] { 2, 6, 5 }, generator: new Generator(5)).gt(0.4);
        mask[0, 1] = zeros(5, ScalarType.Bool); // a query step that may attend to nothing: zero attention on both paths
        foreach (var (m, causal) in new (Tensor?, bool)[] { (null, false), (mask, false), (null, true), (mask, true) })
        {
            var fused = layer.Apply(q, v, attentionMask: m, useCausalMask: causal);
            var (explicitOutput, _) = layer.ApplyWithScores(q, v, attentionMask: m, useCausalMask: causal);
            Assert.That(Values(fused), Is.EqualTo(Values(explicitOutput)).Within(1e-5), $"mask {m is not null}, causal {causal}");
        }
        // Dropout in inference mode changes nothing, so the fused kernel still serves it.
        var dropping = new MultiHeadAttention(numHeads: 3, keyDim: 4, valueDim: 5, dropout: 0.5);
        dropping.Apply(q, v);
        using (no_grad())
            foreach (var (a, b) in dropping.Weights.Zip(layer.Weights)) a.copy_(b);
        Assert.That(Values(dropping.Apply(q, v, attentionMask: mask)),
            Is.EqualTo(Values(layer.ApplyWithScores(q, v, attentionMask: mask).Output)).Within(1e-5));
    }

    [Test]
    public void CausalMask_EqualsTheLowerTriangle_AndHidesTheFuture()
    {
        // Keras test_causal_only_fast_path and test_causal_only_masks_when_fused_path_disabled.
        var layer = new MultiHeadAttention(numHeads: 2, keyDim: 4);
        var x = Random(6, 2, 5, 8);
        var causal = layer.Apply(x, x, useCausalMask: true);
        var explicitMask = layer.Apply(x, x, attentionMask: ones(1, 5, 5, dtype: ScalarType.Bool).tril());
        Assert.That(Values(causal), Is.EqualTo(Values(explicitMask)).Within(1e-5));
        var (_, scores) = layer.ApplyWithScores(x, x, useCausalMask: true);
        Assert.That(scores.triu(1).abs().sum().item<float>(), Is.LessThan(1e-6));
        Assert.That(Values(scores.sum(-1)), Is.All.EqualTo(1f).Within(1e-5));

        // Extra mask and causal together (test_causal_only_with_other_mask_falls_back).
        var extra = ones(2, 5, 5, dtype: ScalarType.Bool);
        extra[TensorIndex.Colon, 2, 3] = tensor(false);
        var merged = extra.logical_and(ones(5, 5, dtype: ScalarType.Bool).tril());
        Assert.That(Values(layer.Apply(x, x, attentionMask: extra, useCausalMask: true)),
            Is.EqualTo(Values(layer.Apply(x, x, attentionMask: merged))).Within(1e-5));
    }

    private static Tensor QueryIds() => tensor(new long[,] { { 1, 2, 3, 0, 0 }, { 3, 3, 1, 1, 2 }, { 1, 0, 0, 0, 0 } });

    private static Tensor ValueIds() => tensor(new long[,] { { 5, 4, 0 }, { 3, 0, 0 }, { 2, 1, 1 } });

    [Test]
    public void QueryMask_IsTheOutputsMask()
    {
        // Keras test_query_mask_propagation.
        var layer = new MultiHeadAttention(numHeads: 2, keyDim: 2);
        Assert.That(layer.SupportsMasking, Is.True);
        var maskedQuery = new Embedding(4, 8, maskZero: true).Apply(QueryIds());
        var output = layer.Apply(maskedQuery, Random(17, 3, 3, 8));
        Assert.That(Values(Masks.Get(output)!), Is.EqualTo(Values(QueryIds().ne(0))));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void QueryAndValueMasks_AreTheAttentionMask(bool useCausalMask)
    {
        // Keras test_masking: the Embedding masks of query and value (and the causal mask) equal this attention mask.
        var layer = new MultiHeadAttention(numHeads: 2, keyDim: 2);
        var maskedQuery = new Embedding(4, 8, maskZero: true).Apply(QueryIds());
        var maskedValue = new Embedding(6, 8, maskZero: true).Apply(ValueIds());
        var output = layer.Apply(maskedQuery, maskedValue, useCausalMask: useCausalMask);
        var mask = tensor(new long[,,]
        {
            { { 1, 1, 0 }, { 1, 1, 0 }, { 1, 1, 0 }, { 0, 0, 0 }, { 0, 0, 0 } },
            { { 1, 0, 0 }, { 1, 0, 0 }, { 1, 0, 0 }, { 1, 0, 0 }, { 1, 0, 0 } },
            { { 1, 1, 1 }, { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 0 } },
        });
        if (useCausalMask)
            mask = mask.bitwise_and(tensor(new long[,] { { 1, 0, 0 }, { 1, 1, 0 }, { 1, 1, 1 }, { 1, 1, 1 }, { 1, 1, 1 } }));
        Masks.Set(maskedQuery, null);
        Masks.Set(maskedValue, null);
        var manual = layer.Apply(maskedQuery, maskedValue, attentionMask: mask);
        Assert.That(Values(output), Is.EqualTo(Values(manual)).Within(1e-6));
        Assert.That(Values(output), Is.Not.EqualTo(Values(layer.Apply(maskedQuery, maskedValue))).Within(1e-3), "the masks change the output");
    }

    [Test]
    public void FunctionalGraph_CombinesTheInputsMasks_AndPassesTheQueryMaskOn()
    {
        var ids = new Input(shape: [5], dtype: ScalarType.Int64);
        var embedding = new Embedding(4, 8, maskZero: true);
        var mha = new MultiHeadAttention(numHeads: 2, keyDim: 4);
        var embedded = embedding.Apply(ids);
        var model = new Model(ids, mha.Apply(embedded, embedded));
        var output = model.Predict(QueryIds(), verbose: 0);
        var keep = QueryIds().ne(0);
        var manual = mha.Apply(embedding.Call(QueryIds(), false), embedding.Call(QueryIds(), false),
            attentionMask: keep.unsqueeze(-1).logical_and(keep.unsqueeze(-2)));
        Assert.That(Values(output), Is.EqualTo(Values(manual)).Within(1e-6));
        var graphOutput = model.Apply(QueryIds());
        Assert.That(Values(Masks.Get(graphOutput)!), Is.EqualTo(Values(keep)));

        // Self-attention (one tensor as query and value) saves and loads, masks included.
        Assert.That(Values(SavedModels.SaveAndLoadModel(model).Predict(QueryIds(), verbose: 0)), Is.EqualTo(Values(output)));
    }

    [Test]
    public void MaskShapes_ThatBroadcast_GiveTheSameOutput()
    {
        // Keras test_masking_with_different_shapes: (5, 5), (2, 5, 5), (2, 2, 5, 5).
        var x = rand(new long[] { 2, 5, 8 }, generator: new Generator(7));
        var mask = ones(5, 5).tril();
        var layer = new MultiHeadAttention(numHeads: 2, keyDim: 4);
        var first = Values(layer.Apply(x, x, attentionMask: mask));
        var batched = mask.unsqueeze(0).tile([2, 1, 1]);
        Assert.That(Values(layer.Apply(x, x, attentionMask: batched)), Is.EqualTo(first).Within(1e-6));
        Assert.That(Values(layer.Apply(x, x, attentionMask: batched.unsqueeze(1).tile([1, 2, 1, 1]))), Is.EqualTo(first).Within(1e-6));
    }

    [Test]
    public void MaskThatDoesNotFit_NamesTheLayerAndShapes()
    {
        var layer = new MultiHeadAttention(numHeads: 2, keyDim: 4, name: "attn");
        var x = Random(8, 2, 5, 8);
        var e = Assert.Throws<ArgumentException>(() => layer.Apply(x, x, attentionMask: ones(2, 4, 5)));
        Assert.That(e!.Message, Does.Contain("Layer \"attn\" (MultiHeadAttention): the attention mask of shape (2, 4, 5) does not fit " +
                                             "the attention scores of shape (2, 2, 5, 5)").And.Contain("(2, 5, 5)"));
        Assert.Throws<ArgumentException>(() => layer.ApplyWithScores(x, x, attentionMask: ones(new long[] { 3, 2, 2, 5, 5 })));
    }

    [TestCase(new long[] { 3, 4 }, new long[] { 3, 2 }, new[] { 2 })]
    [TestCase(new long[] { 3, 4 }, new long[] { 3, 2 }, new[] { 1, 2 })]
    [TestCase(new long[] { 5, 3, 4 }, new long[] { 5, 3, 2 }, new[] { 2, 3 })]
    public void HighDimAttention_KerasShapes(long[] queryDims, long[] valueDims, int[] axes)
    {
        // Keras test_high_dim_attention: batch 3, hidden 8, 8 weights, output shaped as the query.
        var layer = new MultiHeadAttention(numHeads: 2, keyDim: 2, attentionAxes: axes);
        var query = Random(9, [3, .. queryDims, 8]);
        var value = Random(10, [3, .. valueDims, 8]);
        var output = layer.Apply(query, value);
        Assert.That(output.shape, Is.EqualTo(query.shape));
        Assert.That(layer.Weights, Has.Count.EqualTo(8));
        // Scores over the attention axes sum to one for every query position.
        var (again, scores) = layer.ApplyWithScores(query, value);
        Assert.That(Values(again), Is.EqualTo(Values(output)).Within(1e-6));
        Assert.That(Values(scores.flatten(-axes.Length).sum(-1)), Is.All.EqualTo(1f).Within(1e-5));
    }

    [Test]
    public void AttentionAxes_NegativeEqualsPositive_AndCausalCoversHigherRanks()
    {
        // Keras test_attention_axes_negative_indexing and test_causal_only_masks_non_4d_inputs.
        var x = Random(11, 2, 3, 8, 4);
        var positive = new MultiHeadAttention(numHeads: 2, keyDim: 4, attentionAxes: [2]);
        var negative = new MultiHeadAttention(numHeads: 2, keyDim: 4, attentionAxes: [-2]);
        positive.Apply(x, x);
        negative.Apply(x, x);
        using (no_grad())
            foreach (var (a, b) in negative.Weights.Zip(positive.Weights)) a.copy_(b);
        var (zp, ap) = positive.ApplyWithScores(x, x);
        var (zn, an) = negative.ApplyWithScores(x, x);
        Assert.That(an.shape, Is.EqualTo(ap.shape));
        Assert.That(ap.shape, Is.EqualTo(new long[] { 2, 3, 2, 8, 8 }));
        Assert.That(Values(zn), Is.EqualTo(Values(zp)).Within(1e-6));

        var steps = Random(12, 1, 5, 3, 8);
        var overSteps = new MultiHeadAttention(numHeads: 2, keyDim: 4, attentionAxes: [1]);
        var (_, scores) = overSteps.ApplyWithScores(steps, steps, useCausalMask: true);
        Assert.That(scores.shape, Is.EqualTo(new long[] { 1, 3, 2, 5, 5 }));
        Assert.That(scores.triu(1).abs().sum().item<float>(), Is.LessThan(1e-6));
    }

    [TestCase(new long[] { 4, 8 }, new long[] { 2, 8 }, null, null, new long[] { 4, 8 })]
    [TestCase(new long[] { 4, 8 }, new long[] { 2, 8 }, new long[] { 2, 3 }, null, new long[] { 4, 8 })]
    [TestCase(new long[] { 4, 8 }, new long[] { 2, 8 }, null, new[] { 3, 4 }, new long[] { 4, 3, 4 })]
    [TestCase(new long[] { 4, 8 }, new long[] { 2, 8 }, new long[] { 2, 3 }, new[] { 1, 5 }, new long[] { 4, 1, 5 })]
    [TestCase(new long[] { 4, 2, 3, 8 }, new long[] { 1, 1, 5, 8 }, new long[] { 1, 1, 5, 2 }, null, new long[] { 4, 2, 3, 8 })]
    [TestCase(new long[] { 4, 2, 3, 8 }, new long[] { 1, 1, 5, 8 }, new long[] { 1, 1, 5, 2 }, new[] { 3, 2 }, new long[] { 4, 2, 3, 3, 2 })]
    [TestCase(new long[] { 4, 2, 3, 8 }, new long[] { 4, 2, 3, 7 }, new long[] { 4, 2, 3, 8 }, null, new long[] { 4, 2, 3, 8 })]
    public void ComputeOutputShape_EqualsTheOutput(long[] queryDims, long[] valueDims, long[]? keyDims, int[]? outputShape, long[] expected)
    {
        // Keras test_compute_output_shape, batch 7.
        var layer = new MultiHeadAttention(numHeads: 2, keyDim: 2, valueDim: 2, outputShape: outputShape);
        List<long[]> shapes = keyDims is null ? [queryDims, valueDims] : [queryDims, valueDims, keyDims];
        Assert.That(layer.ComputeOutputShapeForInputs(shapes), Is.EqualTo(expected));
        var output = layer.Apply(ones([7, .. queryDims]), ones([7, .. valueDims]), keyDims is null ? null : ones([7, .. keyDims]));
        Assert.That(output.shape, Is.EqualTo((long[])[7, .. expected]));
    }

    [TestCase(new long[] { 4, 8 }, new long[] { 2, 7 }, new long[0])]
    [TestCase(new long[] { 4, 8 }, new long[] { 2, 8 }, new long[] { 1, 7 })]
    [TestCase(new long[] { 4, 2, 3, 8 }, new long[] { 1, 1, 5, 8 }, new long[] { 1, 15, 5, 2 })]
    public void ValueAndKeyThatDiffer_Throw_MustBeEqual(long[] query, long[] value, long[] key)
    {
        // Keras test_shape_mismatch_error.
        var layer = new MultiHeadAttention(numHeads: 4, keyDim: 2, valueDim: 2, name: "mha");
        var e = Assert.Throws<ArgumentException>(() => layer.ComputeOutputShapeForInputs([query, value, key]));
        Assert.That(e!.Message, Does.Contain("must be equal (layer \"mha\")").And.Contain($"value_shape={Shapes.FormatBatch(value)}"));
        Assert.Throws<ArgumentException>(() => layer.Apply(ones([2, .. query]), ones([2, .. value]), ones([2, .. key])));
    }

    [Test]
    public void InputsThatDoNotFit_NameTheLayerAndShapes()
    {
        var layer = new MultiHeadAttention(numHeads: 2, keyDim: 2, name: "mha");
        var e = Assert.Throws<ArgumentException>(() => layer.Apply(ones(2, 4, 8), ones(2, 3, 2, 8)));
        Assert.That(e!.Message, Does.Contain("\"mha\"").And.Contain("same rank").And.Contain("value_shape=(None, 3, 2, 8)"));
        e = Assert.Throws<ArgumentException>(() => layer.Apply(ones(2, 4, 8)));
        Assert.That(e!.Message, Does.Contain("takes a query and a value"));

        // Built for one feature size, called with another: Keras's input check, with both shapes.
        layer.Apply(ones(2, 4, 8), ones(2, 3, 8));
        e = Assert.Throws<ArgumentException>(() => layer.Apply(ones(2, 4, 6), ones(2, 3, 8)));
        Assert.That(e!.Message, Does.Contain("was built for query_shape=(None, 4, 8)").And.Contain("received query_shape=(None, 4, 6)"));

        // Symbolic: the error comes at the line that applies it.
        var q = new Input(shape: [4, 8]);
        var v = new Input(shape: [3, 5, 8]);
        Assert.Throws<ArgumentException>(() => new MultiHeadAttention(2, 2).Apply(q, v));
        Assert.Throws<ArgumentException>(() => new MultiHeadAttention(2, 2, attentionAxes: [3]).Apply(q, q));
    }

    [Test]
    public void InvalidArguments_Throw_NamingTheArgument()
    {
        // Keras test_invalid_scalar_args_rejected and test_multi_head_attention_output_shape_error.
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MultiHeadAttention(0, 4))!.Message, Does.Contain("argument `num_heads`"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MultiHeadAttention(4, -2))!.Message, Does.Contain("argument `key_dim`"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MultiHeadAttention(4, 4, valueDim: 0))!.Message, Does.Contain("argument `value_dim`"));
        Assert.That(Assert.Throws<ArgumentException>(() => new MultiHeadAttention(2, 16, outputShape: [0]))!.Message, Does.Contain("Invalid `output_shape`"));
        Assert.That(new MultiHeadAttention(4, 4, valueDim: null).ValueDim, Is.EqualTo(4));
    }

    [Test]
    public void OutputShape_IntOrTuple_AsKeras()
    {
        // Keras test_multi_head_attention_output_shape_as_int / _as_tuple.
        var x = rand(2, 4, 16);
        Assert.That(new MultiHeadAttention(2, 16, outputShape: [8]).Apply(x, x).shape, Is.EqualTo(new long[] { 2, 4, 8 }));
        Assert.That(new MultiHeadAttention(2, 16, outputShape: [8, 8]).Apply(x, x).shape, Is.EqualTo(new long[] { 2, 4, 8, 8 }));
    }

    [Test]
    public void Initializer_GivesEachProjectionItsOwnValues()
    {
        // Keras test_initializer.
        var layer = new MultiHeadAttention(numHeads: 12, keyDim: 64, kernelInitializer: "random_normal");
        layer.Apply(ones(2, 4, 8), ones(2, 4, 8));
        var kernels = layer.named_parameters().Where(p => p.name.EndsWith("kernel")).Select(p => Values(p.parameter)).ToList();
        Assert.That(kernels[1], Is.Not.EqualTo(kernels[0]));
        Assert.That(kernels[2], Is.Not.EqualTo(kernels[0]));
    }

    [Test]
    public void SeededDropout_IsReproducible_AndOnlyWhileTraining()
    {
        var x = Random(13, 2, 5, 8);
        var first = new MultiHeadAttention(2, 4, dropout: 0.5, seed: 3);
        var second = new MultiHeadAttention(2, 4, dropout: 0.5, seed: 3);
        first.Apply(x, x);
        second.Apply(x, x);
        using (no_grad())
            foreach (var (a, b) in second.Weights.Zip(first.Weights)) a.copy_(b);
        var (trainingOutput, _) = first.ApplyWithScores(x, x, training: true);
        Assert.That(Values(second.ApplyWithScores(x, x, training: true).Output), Is.EqualTo(Values(trainingOutput)));
        Assert.That(Values(trainingOutput), Is.Not.EqualTo(Values(first.Apply(x, x))).Within(1e-4));
    }

    [Test]
    public void MixedPrecision_Float32Weights_Bfloat16Computation_OnBothPaths()
    {
        var x = Random(18, 2, 5, 8);
        var exact = new MultiHeadAttention(numHeads: 2, keyDim: 4);
        var mixed = new MultiHeadAttention(numHeads: 2, keyDim: 4) { DtypePolicy = "mixed_bfloat16" };
        var expected = exact.Apply(x, x);
        mixed.Apply(x, x);
        using (no_grad())
            foreach (var (a, b) in mixed.Weights.Zip(exact.Weights)) a.copy_(b);
        Assert.That(mixed.Weights.Select(w => w.dtype), Is.All.EqualTo(ScalarType.Float32));
        var fused = mixed.Apply(x, x, useCausalMask: true);
        var (explicitOutput, scores) = mixed.ApplyWithScores(x, x, useCausalMask: true);
        Assert.That((fused.dtype, explicitOutput.dtype, scores.dtype), Is.EqualTo((ScalarType.BFloat16, ScalarType.BFloat16, ScalarType.BFloat16)));
        var reference = exact.Apply(x, x, useCausalMask: true);
        Assert.That((fused.to_type(ScalarType.Float32) - reference).abs().max().item<float>(), Is.LessThan(0.1f));
        Assert.That((explicitOutput.to_type(ScalarType.Float32) - reference).abs().max().item<float>(), Is.LessThan(0.1f));
        Assert.That(mixed.Apply([x, x]).dtype, Is.EqualTo(ScalarType.BFloat16), "the list form autocasts too");
        Assert.That((mixed.Apply([x, x]).to_type(ScalarType.Float32) - expected).abs().max().item<float>(), Is.LessThan(0.1f));
    }

    [Test]
    public void FunctionalModel_TrainsSavesAndLoads()
    {
        var query = new Input(shape: [6, 8], name: "query");
        var value = new Input(shape: [4, 8], name: "value");
        var attended = new MultiHeadAttention(numHeads: 2, keyDim: 4, name: "mha").Apply(query, value);
        var outputs = new Dense(1).Apply(new GlobalAveragePooling1D().Apply(attended));
        var model = new Model([query, value], [outputs]);
        Assert.That(model.Summary(), Does.Contain("mha (MultiHeadAttention)").And.Contain("(None, 6, 8)"));
        Assert.That(model.CountParams(), Is.EqualTo(3 * (8 * 2 * 4 + 2 * 4) + 2 * 4 * 8 + 8 + 9));
        var xq = Random(14, 16, 6, 8);
        var xv = Random(15, 16, 4, 8);
        var y = Random(16, 16, 1);
        model.Compile(optimizer: "adam", loss: "mse", device: "cpu");
        var history = model.Fit([xq, xv], [y], epochs: 2, batchSize: 8, verbose: 0);
        Assert.That(history["loss"], Has.Count.EqualTo(2));

        var loaded = SavedModels.SaveAndLoadModel(model);
        var mha = (MultiHeadAttention)loaded.GetLayer("mha");
        Assert.That((mha.NumHeads, mha.KeyDim, mha.ValueDim), Is.EqualTo((2, 4, 4)));
        Assert.That(Values(loaded.Predict([xq, xv], verbose: 0)[0]), Is.EqualTo(Values(model.Predict([xq, xv], verbose: 0)[0])));
    }
}
